package dev.bayesnf.core.kriging;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The residual scale of each observed place, for kriging standardized anomalies: a residual field
 * r(s, t) = σ(s)·z(s, t) whose spread differs between places (windy coastal stations against
 * sheltered inland ones, large counties against small ones) is kriged as z = r/σ(s), which is
 * closer to stationary, and the kriged anomaly and its variance are scaled back by σ at the
 * predicted place.
 *
 * <p>σ(s)² of an observed place is the mean square of its residuals, shrunk towards the mean
 * square of all residuals as if {@link #PRIOR_WEIGHT} more observations had that value; at any
 * other place it is the inverse-distance-squared weighted mean of σ² over the (at most 8)
 * nearest observed places.
 *
 * <p>Immutable and thread-safe.
 */
public final class LocationScale {
    /** Pseudo-observations of the overall mean square in each place's estimate. */
    public static final double PRIOR_WEIGHT = 10;
    private static final int NEAREST = 8;

    private final double[] x;
    private final double[] y;
    private final double[] variance;
    private final DistanceMetric metric;
    private final Map<List<Double>, Integer> index = new HashMap<>();
    private final KdTree tree;

    /**
     * @param x place coordinates
     * @param y place coordinates
     * @param scale residual scale σ of each place (positive)
     */
    public LocationScale(double[] x, double[] y, double[] scale, DistanceMetric metric) {
        if (x.length != y.length || x.length != scale.length || x.length == 0) {
            throw new IllegalArgumentException("location scales need one scale per place, and at least one place");
        }
        this.x = x.clone();
        this.y = y.clone();
        this.variance = new double[scale.length];
        this.metric = metric;
        double[] emb = new double[3 * x.length];
        int[] ids = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            if (!(scale[i] > 0) || !Double.isFinite(scale[i])) {
                throw new IllegalArgumentException("the residual scale of place " + i + " must be positive, got "
                        + scale[i]);
            }
            variance[i] = scale[i] * scale[i];
            index.put(List.of(x[i], y[i]), i);
            metric.embed(x[i], y[i], emb, 3 * i);
            ids[i] = i;
        }
        this.tree = new KdTree(emb, ids);
    }

    /** The scales of the places of {@code residuals} (values are residuals, any time). */
    public static LocationScale fit(Sites residuals, DistanceMetric metric) {
        Map<List<Double>, double[]> acc = new java.util.LinkedHashMap<>();
        double total = 0;
        int n = residuals.size();
        for (int i = 0; i < n; i++) {
            double v = residuals.value()[i];
            double[] a = acc.computeIfAbsent(List.of(residuals.x()[i], residuals.y()[i]), k -> new double[2]);
            a[0] += v * v;
            a[1]++;
            total += v * v;
        }
        double global = n == 0 ? 1 : total / n;
        if (!(global > 0)) {
            global = 1;
        }
        int m = acc.size();
        double[] px = new double[m];
        double[] py = new double[m];
        double[] s = new double[m];
        int k = 0;
        for (Map.Entry<List<Double>, double[]> e : acc.entrySet()) {
            px[k] = e.getKey().get(0);
            py[k] = e.getKey().get(1);
            double[] a = e.getValue();
            s[k] = Math.sqrt((a[0] + PRIOR_WEIGHT * global) / (a[1] + PRIOR_WEIGHT));
            k++;
        }
        return new LocationScale(px, py, s, metric);
    }

    /** Number of places. */
    public int size() {
        return x.length;
    }

    public double[] x() {
        return x.clone();
    }

    public double[] y() {
        return y.clone();
    }

    /** σ of every place, in their order. */
    public double[] scales() {
        double[] s = new double[variance.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.sqrt(variance[i]);
        }
        return s;
    }

    /** σ at (px, py): the place's own, or interpolated from the nearest places. */
    public double at(double px, double py) {
        Integer own = index.get(List.of(px, py));
        if (own != null) {
            return Math.sqrt(variance[own]);
        }
        int k = Math.min(NEAREST, x.length);
        int[] ids = new int[k];
        double[] d2 = new double[k];
        double[] q = new double[3];
        metric.embed(px, py, q, 0);
        int found = tree.nearest(q[0], q[1], q[2], k, ids, d2);
        double sw = 0;
        double sv = 0;
        for (int i = 0; i < found; i++) {
            double d = metric.distance(px, py, x[ids[i]], y[ids[i]]);
            if (d == 0) {
                return Math.sqrt(variance[ids[i]]);
            }
            double w = 1 / (d * d);
            sw += w;
            sv += w * variance[ids[i]];
        }
        return Math.sqrt(sv / sw);
    }

    /** {@code residuals} divided by the scale of their place. */
    public Sites standardize(Sites residuals) {
        double[] z = new double[residuals.size()];
        for (int i = 0; i < z.length; i++) {
            z[i] = residuals.value()[i] / at(residuals.x()[i], residuals.y()[i]);
        }
        return new Sites(residuals.x(), residuals.y(), residuals.t(), z);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocationScale l && Arrays.equals(x, l.x) && Arrays.equals(y, l.y)
                && Arrays.equals(variance, l.variance) && metric == l.metric;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(variance);
    }
}
