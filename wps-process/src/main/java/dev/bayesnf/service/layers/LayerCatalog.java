package dev.bayesnf.service.layers;

import dev.bayesnf.service.raster.RasterProduct;
import java.util.List;
import java.util.Optional;

/**
 * The result layers the WMS serves. The job manager publishes a layer when a Forecast or
 * Interpolate job succeeds and withdraws it when the result expires.
 *
 * <p>Implementations are thread-safe; {@link #raster} may load from disk and should cache.
 */
public interface LayerCatalog {

    /** Every published layer, oldest first. */
    List<LayerInfo> layers();

    /** The layer called {@code name}, if published. */
    default Optional<LayerInfo> layer(String name) {
        return layers().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The values of layer {@code name}, if published. */
    Optional<RasterProduct> raster(String name);

    /**
     * Why layer {@code name}, published but not listed, cannot be served (its stored raster is
     * missing or damaged), for the client's error; empty when it is served or not published.
     */
    default Optional<String> problem(String name) {
        return Optional.empty();
    }
}
