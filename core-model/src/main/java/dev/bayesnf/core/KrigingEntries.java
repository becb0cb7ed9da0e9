package dev.bayesnf.core;

import dev.bayesnf.core.kriging.CovarianceModel;
import dev.bayesnf.core.kriging.DistanceMetric;
import dev.bayesnf.core.kriging.EmpiricalVariogram;
import dev.bayesnf.core.kriging.LocationScale;
import dev.bayesnf.core.kriging.QuantileRecalibration;
import dev.bayesnf.core.kriging.ResidualKriging;
import dev.bayesnf.core.kriging.Sites;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.ZipOutputStream;

/**
 * A residual kriging in the {@link ModelFile}: its properties under a prefix ({@code kriging.},
 * or {@code newPlaces.kriging.} for the hybrid at new places) and its entries (residuals, place
 * scales, variogram) under a name prefix. Stateless.
 */
final class KrigingEntries {
    private KrigingEntries() {}

    /** The columns of an entry read after the properties; a short or damaged entry is an IllegalArgumentException. */
    static double[][] columns(byte[] bytes, String name, int k) {
        try {
            return ModelFile.readColumns(bytes, k);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + " is truncated");
        }
    }

    /** The matrix of an entry read after the properties (null for none), as {@link #columns}. */
    static float[][] matrix(byte[] bytes, String name) {
        if (bytes == null) {
            return null;
        }
        try {
            return ModelFile.readMatrix(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + " is truncated");
        }
    }

    /** The properties of a residual kriging, under {@code prefix} ("kriging." or the new places' prefix). */
    static void put(Properties p, String prefix, ResidualKriging rk) {
        p.setProperty(prefix + "metric", rk.metric().name());
        p.setProperty(prefix + "timeUnit", Double.toHexString(rk.timeUnit()));
        p.setProperty(prefix + "neighbours", Integer.toString(rk.neighbours()));
        p.setProperty(prefix + "window", Integer.toString(rk.window()));
        p.setProperty(prefix + "calibration", Double.toHexString(rk.calibration()));
        rk.model().parameters().forEach((k, v) -> p.setProperty(prefix + "model." + k, v));
        p.setProperty(prefix + "placeScale", Boolean.toString(rk.scale().isPresent()));
        rk.constantTrend().ifPresent(level -> p.setProperty(prefix + "constantTrend", Double.toHexString(level)));
        rk.fallback().ifPresent(power -> p.setProperty(prefix + "fallbackPower", Double.toHexString(power)));
        if (rk.ordinary()) {
            p.setProperty(prefix + "ordinary", "true");
        }
        rk.recalibration().ifPresent(r -> p.setProperty(prefix + "quantileLevels", Arrays.stream(r.levels())
                .mapToObj(Double::toHexString).collect(Collectors.joining(","))));
        rk.empirical().ifPresent(ev -> {
            p.setProperty(prefix + "variogram.cutoff", Double.toHexString(ev.cutoff()));
            p.setProperty(prefix + "variogram.maxLag", Integer.toString(ev.maxLag()));
        });
    }

    /** The entries of a residual kriging: residuals, place scales, variogram, their names after {@code prefix}. */
    static void write(ZipOutputStream zip, String prefix, ResidualKriging rk) throws IOException {
        Sites rs = rk.sites();
        zip.putNextEntry(ModelFile.entry(prefix + "residuals.f64"));
        zip.write(ModelFile.columns(rs.x(), rs.y(), rs.t(), rs.value()));
        zip.closeEntry();
        if (rk.scale().isPresent()) {
            LocationScale ls = rk.scale().get();
            zip.putNextEntry(ModelFile.entry(prefix + "scales.f64"));
            zip.write(ModelFile.columns(ls.x(), ls.y(), ls.scales()));
            zip.closeEntry();
        }
        EmpiricalVariogram ev = rk.empirical().orElse(null);
        if (ev != null) {
            double[] pairs = new double[ev.size()];
            for (int i = 0; i < pairs.length; i++) {
                pairs[i] = ev.pairs()[i];
            }
            zip.putNextEntry(ModelFile.entry(prefix + "variogram.f64"));
            zip.write(ModelFile.columns(ev.distance(), ev.lag(), pairs, ev.gamma()));
            zip.closeEntry();
        }
    }

    /**
     * The residual kriging whose properties are under {@code prefix} and whose entries' names
     * follow {@code entryPrefix}, or null when the file has none.
     */
    static ResidualKriging read(Properties p, String prefix, Map<String, byte[]> entries,
            String entryPrefix, Georeference geo) {
        if (p.getProperty(prefix + "metric") == null) {
            return null;
        }
        byte[] res = entries.get(entryPrefix + "residuals.f64");
        if (res == null || geo == null) {
            throw new IllegalArgumentException("residual kriging without its residuals or coordinates");
        }
        double[][] residuals = columns(res, entryPrefix + "residuals.f64", 4);
        Map<String, String> mp = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith(prefix + "model.")) {
                mp.put(k.substring((prefix + "model.").length()), p.getProperty(k));
            }
        }
        EmpiricalVariogram ev = null;
        byte[] vg = entries.get(entryPrefix + "variogram.f64");
        if (vg != null) {
            double[][] variogram = columns(vg, entryPrefix + "variogram.f64", 4);
            long[] pairs = new long[variogram[2].length];
            for (int i = 0; i < pairs.length; i++) {
                pairs[i] = (long) variogram[2][i];
            }
            ev = new EmpiricalVariogram(variogram[0], variogram[1], pairs, variogram[3],
                    Double.parseDouble(ModelFile.req(p, prefix + "variogram.cutoff")),
                    Integer.parseInt(ModelFile.req(p, prefix + "variogram.maxLag")));
        }
        DistanceMetric metric = DistanceMetric.parse(ModelFile.req(p, prefix + "metric"));
        LocationScale ls = null;
        if (Boolean.parseBoolean(p.getProperty(prefix + "placeScale", "false"))) {
            byte[] sc = entries.get(entryPrefix + "scales.f64");
            if (sc == null) {
                throw new IllegalArgumentException("place scales are missing");
            }
            double[][] scales = columns(sc, entryPrefix + "scales.f64", 3);
            ls = new LocationScale(scales[0], scales[1], scales[2], metric);
        }
        ResidualKriging rk = new ResidualKriging(new Sites(residuals[0], residuals[1], residuals[2], residuals[3]),
                metric, Double.parseDouble(ModelFile.req(p, prefix + "timeUnit")), CovarianceModel.parse(mp),
                Integer.parseInt(ModelFile.req(p, prefix + "neighbours")), Integer.parseInt(ModelFile.req(p, prefix + "window")),
                Double.parseDouble(ModelFile.req(p, prefix + "calibration")), ev, ls);
        if (p.getProperty(prefix + "constantTrend") != null) {
            rk = rk.withConstantTrend(Double.parseDouble(p.getProperty(prefix + "constantTrend")));
        }
        if (p.getProperty(prefix + "fallbackPower") != null) {
            rk = rk.withFallback(Double.parseDouble(p.getProperty(prefix + "fallbackPower")));
        }
        String levels = p.getProperty(prefix + "quantileLevels");
        if (levels != null) {
            rk = rk.withRecalibration(new QuantileRecalibration(Arrays.stream(levels.split(","))
                    .mapToDouble(v -> Double.parseDouble(v.trim())).toArray()));
        }
        return rk.withOrdinary(Boolean.parseBoolean(p.getProperty(prefix + "ordinary", "false")));
    }

}
