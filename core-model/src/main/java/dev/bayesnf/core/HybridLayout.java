package dev.bayesnf.core;

import dev.bayesnf.core.kriging.DistanceMetric;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The observed rows as residual kriging sees them: where ({@code gx}, {@code gy}: every table
 * row) and when ({@code traw}, raw times; 0 without time) each was observed, their places, and
 * the units the cross-validation deals into folds.
 *
 * @param rows the table rows whose target is present
 * @param yAll the target of every table row
 * @param nloc the number of distinct places of the observed rows
 * @param blocks the time blocks that cut each place's series (1 without time)
 * @param group the cross-validation unit of each observed row: its place, or its (place, time
 *     block) segment
 * @param ngroups the number of units
 * @param byPlace whether the residuals are kriged as standardized anomalies
 */
record HybridLayout(int[] rows, double[] gx, double[] gy, double[] traw, double[] yAll, DistanceMetric metric,
        double unit, int maxLag, int nloc, int blocks, int[] group, int ngroups, boolean byPlace) {

    static HybridLayout of(TrainingSet data, Georeference geo, HybridTrainer.Options options) {
        ModelSpec spec = data.spec();
        int[] rows = data.rows();
        int n = rows.length;
        double[] gx = data.column(geo.x());
        double[] gy = data.column(geo.y());
        double[] traw = spec.time() == null ? new double[data.table().rows()] : data.time();
        DistanceMetric metric = geo.geographic() ? DistanceMetric.GREAT_CIRCLE_KM : DistanceMetric.PLANAR;
        double unit = timeUnit(spec, traw, rows);
        int maxLag = maxLag(spec, traw, rows, unit, options.maxLag());
        int[] loc = new int[n];
        Map<List<Double>, Integer> places = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Integer id = places.putIfAbsent(List.of(gx[rows[i]], gy[rows[i]]), places.size());
            loc[i] = id == null ? places.size() - 1 : id;
        }
        int nloc = places.size();
        // the units dealt into folds: places, or (place, time block) segments
        int blocks = spec.time() == null ? 1 : Math.max(1, options.timeBlocks());
        int[] group = new int[n];
        int ngroups = segments(rows, loc, traw, blocks, group);
        boolean byPlace = options.placeScale() && spec.time() != null && n >= 2 * nloc;
        return new HybridLayout(rows, gx, gy, traw, data.targetValues(), metric, unit, maxLag, nloc, blocks, group,
                ngroups, byPlace);
    }

    /** This layout with its residuals kriged as standardized anomalies or not. */
    HybridLayout withByPlace(boolean scaled) {
        return scaled == byPlace ? this : new HybridLayout(rows, gx, gy, traw, yAll, metric, unit, maxLag, nloc, blocks,
                group, ngroups, scaled);
    }

    /**
     * Numbers the (place, time block) segments of the rows: the training time span is cut into
     * {@code blocks} equal blocks. Writes each row's segment to {@code group}; returns how many.
     */
    static int segments(int[] rows, int[] loc, double[] traw, int blocks, int[] group) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r : rows) {
            lo = Math.min(lo, traw[r]);
            hi = Math.max(hi, traw[r]);
        }
        double span = hi - lo;
        Map<Long, Integer> ids = new HashMap<>();
        for (int i = 0; i < rows.length; i++) {
            int b = blocks == 1 || span <= 0 ? 0 : (int) Math.min(blocks - 1, Math.floor((traw[rows[i]] - lo) / span * blocks));
            Integer id = ids.putIfAbsent((long) loc[i] * blocks + b, ids.size());
            group[i] = id == null ? ids.size() - 1 : id;
        }
        return ids.size();
    }

    /**
     * The time that lag 1 stands for: 1 period for calendar time; for numeric time the median
     * gap between consecutive distinct training times (1 without time or with one time).
     */
    static double timeUnit(ModelSpec spec, double[] traw, int[] rows) {
        if (spec.time() == null || spec.freq() != null) {
            return 1;
        }
        double[] t = Arrays.stream(rows).mapToDouble(i -> traw[i]).sorted().distinct().toArray();
        if (t.length < 2) {
            return 1;
        }
        double[] gaps = new double[t.length - 1];
        for (int i = 1; i < t.length; i++) {
            gaps[i - 1] = t[i] - t[i - 1];
        }
        Arrays.sort(gaps);
        return gaps[gaps.length / 2];
    }

    static int maxLag(ModelSpec spec, double[] traw, int[] rows, double unit, int cap) {
        if (spec.time() == null) {
            return 0;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r : rows) {
            lo = Math.min(lo, traw[r]);
            hi = Math.max(hi, traw[r]);
        }
        return (int) Math.min(cap, Math.round((hi - lo) / unit));
    }
}
