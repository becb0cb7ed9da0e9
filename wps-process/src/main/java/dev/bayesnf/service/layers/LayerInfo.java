package dev.bayesnf.service.layers;

import dev.bayesnf.service.raster.Grid;
import java.time.Instant;
import java.util.List;

/**
 * A published result layer as the WMS lists it: name, title, grid, time steps and quantile
 * levels. The values themselves come from {@link LayerCatalog#raster}.
 *
 * @param name layer name, e.g. {@code bayesnf:forecast_3f2a...}
 * @param title human-readable title
 * @param description abstract
 * @param grid the raster's grid (its CRS is the layer's native CRS)
 * @param times time step labels (ISO 8601), empty for purely spatial layers
 * @param levels quantile levels of the bands after the mean
 * @param target the predicted variable
 * @param created when the layer was published
 */
public record LayerInfo(String name, String title, String description, Grid grid, List<String> times,
        double[] levels, String target, Instant created) {

    public LayerInfo {
        times = List.copyOf(times);
        levels = levels.clone();
    }
}
