package dev.bayesnf.service.wms;

import dev.bayesnf.service.layers.LayerInfo;
import dev.bayesnf.service.layers.LayerCatalog;
import dev.bayesnf.service.raster.RasterProduct;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link LayerCatalog} holding its rasters in memory: for tests, demos and small deployments.
 * Publishing a name again replaces the layer.
 *
 * <p>Thread-safe.
 */
public final class InMemoryLayerCatalog implements LayerCatalog {
    private final List<LayerInfo> layers = new CopyOnWriteArrayList<>();
    private final Map<String, RasterProduct> rasters = new ConcurrentHashMap<>();

    /** Publishes {@code raster} as layer {@code info.name()}. */
    public synchronized void publish(LayerInfo info, RasterProduct raster) {
        withdraw(info.name());
        rasters.put(info.name(), raster);
        layers.add(info);
    }

    /** Withdraws the layer called {@code name}, if published. */
    public synchronized void withdraw(String name) {
        layers.removeIf(l -> l.name().equals(name));
        rasters.remove(name);
    }

    @Override
    public List<LayerInfo> layers() {
        return List.copyOf(layers);
    }

    @Override
    public Optional<RasterProduct> raster(String name) {
        return Optional.ofNullable(rasters.get(name));
    }
}
