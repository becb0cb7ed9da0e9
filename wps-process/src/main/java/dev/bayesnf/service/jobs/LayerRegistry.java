package dev.bayesnf.service.jobs;

import dev.bayesnf.service.layers.LayerCatalog;
import dev.bayesnf.service.layers.LayerInfo;
import dev.bayesnf.service.raster.RasterProduct;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WMS layers that jobs published: a row in the job store each, naming the job's GeoTIFF;
 * rasters read back through a small cache; each layer visible to the account whose job made it
 * (and admins), shared when it has no owner. A layer whose raster is missing or damaged is not
 * listed but reported ({@link #problem}).
 *
 * <p>Thread-safe.
 */
final class LayerRegistry implements LayerCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(LayerRegistry.class);

    private final Path dataDir;
    private final JobStore store;
    private final JobManager.RasterReader reader;
    /** The account that submitted a running job (null: anonymous, the service, or not running). */
    private final Function<String, String> ownerOfJob;
    private final Map<String, RasterProduct> rasters = Ownership.lru(16);
    /** The published layers and their owners (absent: shared), read together; null: to be loaded. */
    private volatile State state;

    /**
     * @param damaged layers whose stored raster is missing or cannot be read: name to the reason
     */
    private record State(List<LayerInfo> infos, Map<String, String> owners, Map<String, String> damaged) {}

    LayerRegistry(Path dataDir, JobStore store, JobManager.RasterReader reader, Function<String, String> ownerOfJob) {
        this.dataDir = dataDir;
        this.store = store;
        this.reader = reader;
        this.ownerOfJob = ownerOfJob;
    }

    /** Publishes a job's GeoTIFF as a layer; returns the layer's name. */
    String publish(String jobId, String title, Path geoTiff) {
        String name = "bayesnf:" + jobId.substring(0, 8) + "_" + title.replaceAll("[^A-Za-z0-9_-]", "_");
        name = name.length() > 120 ? name.substring(0, 120) : name;
        try {
            store.insertLayer(new JobStore.LayerRow(name, jobId, title, dataDir.relativize(geoTiff).toString(),
                    Instant.now(), ownerOfJob.apply(jobId)));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot publish the layer: " + e.getMessage(), e);
        }
        state = null;
        return name;
    }

    /** Forgets the layers of a job (their rows go with the job's). */
    void unpublish(String jobId) {
        synchronized (rasters) {
            rasters.keySet().removeIf(k -> k.startsWith("bayesnf:" + jobId.substring(0, 8) + "_"));
        }
        state = null;
    }

    /** The layers the current caller may see: its own, the shared ones, every one for an admin. */
    @Override
    public List<LayerInfo> layers() {
        State st = state();
        return st.infos().stream().filter(li -> Ownership.usable(st.owners().get(li.name()))).toList();
    }

    @Override
    public Optional<String> problem(String name) {
        State st = state();
        String why = st.damaged().get(name);
        return why != null && Ownership.usable(st.owners().get(name)) ? Optional.of(why) : Optional.empty();
    }

    private State state() {
        State st = state;
        if (st != null) {
            return st;
        }
        List<LayerInfo> list = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        Map<String, String> damaged = new HashMap<>();
        try {
            for (JobStore.LayerRow row : store.layers()) {
                if (row.owner() != null) {
                    owners.put(row.name(), row.owner());
                }
                Optional<RasterProduct> r = raster(row);
                if (r.isEmpty()) {
                    // not listed (its grid is unknown), but never silently: the log says so, and
                    // a GetMap for it says why
                    damaged.put(row.name(), "its stored raster (job " + row.jobId() + ") is missing or damaged;"
                            + " run the job again");
                }
                r.ifPresent(p -> list.add(new LayerInfo(row.name(), row.title(),
                        "BayesNF " + (p.times().isEmpty() ? "prediction" : "prediction for " + p.times().size()
                                + " time step(s)") + " of " + p.target() + " (job " + row.jobId() + ")",
                        p.grid(), p.times(), p.levels(), p.target(), row.created())));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        st = new State(List.copyOf(list), Map.copyOf(owners), Map.copyOf(damaged));
        state = st;
        return st;
    }

    private Optional<RasterProduct> raster(JobStore.LayerRow row) {
        RasterProduct p = rasters.get(row.name());
        if (p != null) {
            return Optional.of(p);
        }
        Path f = dataDir.resolve(row.file()).normalize();
        if (!f.startsWith(dataDir) || !Files.isRegularFile(f)) {
            LOG.error("layer {} has lost its raster file {}; it is not served", row.name(), row.file());
            return Optional.empty();
        }
        try {
            p = reader.read(f);
        } catch (IOException | RuntimeException e) {
            LOG.error("layer {} cannot be read from {}: {}; it is not served", row.name(), f, e.getMessage());
            return Optional.empty();
        }
        rasters.put(row.name(), p);
        return Optional.of(p);
    }

    /** A layer's raster, when the current caller may see the layer. */
    @Override
    public Optional<RasterProduct> raster(String name) {
        State st = state;
        RasterProduct cached = rasters.get(name);
        if (st != null && cached != null) {
            // the GetMap path: no database query
            return Ownership.usable(st.owners().get(name)) ? Optional.of(cached) : Optional.empty();
        }
        try {
            for (JobStore.LayerRow row : store.layers()) {
                if (row.name().equals(name)) {
                    return Ownership.usable(row.owner()) ? raster(row) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return Optional.empty();
    }
}
