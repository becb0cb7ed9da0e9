package dev.bayesnf.cli;

import dev.bayesnf.service.raster.RasterKind;
import picocli.CommandLine.Command;

/** {@code bayesnf forecast}: a GeoTIFF of the predictive mean and quantiles after the training period. */
@Command(name = "forecast", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Forecast a raster: predictive mean and quantiles at the cell centres of a grid, for times after"
                + " the last training time (default: the first period after it). Writes a Float32 GeoTIFF.",
            "Example: bayesnf forecast --model wind.bnf --bbox -10.5,51.4,-5.9,55.4 --crs EPSG:4326 --width 200"
                + " --height 180 --time 1979-01-01,1979-01-02 --output forecast.tif"})
final class ForecastCommand extends RasterCommand {
    @Override
    RasterKind kind() {
        return RasterKind.FORECAST;
    }
}
