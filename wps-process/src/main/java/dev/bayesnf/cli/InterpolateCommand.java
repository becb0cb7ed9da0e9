package dev.bayesnf.cli;

import dev.bayesnf.service.raster.RasterKind;
import picocli.CommandLine.Command;

/** {@code bayesnf interpolate}: a GeoTIFF of the predictive mean and quantiles within the training period. */
@Command(name = "interpolate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Interpolate a raster: predictive mean and quantiles at the cell centres of a grid, for times"
                + " within the training time range (default: the last training time; purely spatial models take no"
                + " --time). Writes a Float32 GeoTIFF.",
            "Example: bayesnf interpolate --model wind.bnf --crs EPSG:3857 --bbox -1170000,6680000,-650000,7420000"
                + " --width 260 --height 370 --time 1978-06-01 --output wind-1978-06-01.tif"})
final class InterpolateCommand extends RasterCommand {
    @Override
    RasterKind kind() {
        return RasterKind.INTERPOLATE;
    }
}
