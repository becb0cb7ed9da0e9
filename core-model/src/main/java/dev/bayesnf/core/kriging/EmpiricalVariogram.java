package dev.bayesnf.core.kriging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An empirical space-time semivariogram: for pairs of sites whose time lag rounds to u time
 * units (u = 0..maxLag) and whose distance falls in one of {@code bins} equal bins up to the
 * cutoff, γ̂ = mean of (z_i − z_j)²/2, reported at the bin's mean distance; pairs at the same
 * place (distance 0) form their own bin at each lag u ≥ 1 (the purely temporal variogram), and
 * pairs at the same place and time are left out. The cutoff is a third of the diagonal of the
 * sites' bounding box, as gstat's default.
 *
 * <p>When there are more pairs than the budget, time steps are taken in a seeded random order
 * (each with all its pairs up to maxLag later) until the budget is spent, and a single block of
 * more pairs than remain (many sites at one time) is sampled at random: the pair counts say how
 * many were used. Immutable.
 *
 * @param distance mean distance of each bin's pairs (0 for the same-place bins)
 * @param lag time lag of each bin, in time units
 * @param pairs pairs in each bin
 * @param gamma semivariance of each bin
 * @param cutoff largest distance binned
 * @param maxLag largest time lag binned
 */
public record EmpiricalVariogram(double[] distance, double[] lag, long[] pairs, double[] gamma, double cutoff,
        int maxLag) {

    /** Default pair budget. */
    public static final long DEFAULT_PAIR_BUDGET = 3_000_000L;
    /** Default number of distance bins. */
    public static final int DEFAULT_BINS = 15;

    public EmpiricalVariogram {
        int n = distance.length;
        if (lag.length != n || pairs.length != n || gamma.length != n) {
            throw new IllegalArgumentException("variogram arrays differ in length");
        }
    }

    /** Number of bins with pairs. */
    public int size() {
        return distance.length;
    }

    /** Total number of pairs used. */
    public long totalPairs() {
        long s = 0;
        for (long p : pairs) {
            s += p;
        }
        return s;
    }

    /**
     * Computes the empirical variogram of {@code sites}.
     *
     * @param timeUnit the time step that lag 1 stands for (1 for calendar periods)
     * @param maxLag largest lag in time units (0 for purely spatial data)
     */
    public static EmpiricalVariogram compute(Sites sites, DistanceMetric metric, double timeUnit, int maxLag, int bins,
            long pairBudget, long seed) {
        if (!(timeUnit > 0)) {
            throw new IllegalArgumentException("the time unit must be positive, got " + timeUnit);
        }
        int n = sites.size();
        double[] x = sites.x();
        double[] y = sites.y();
        double[] z = sites.value();
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, x[i]);
            maxX = Math.max(maxX, x[i]);
            minY = Math.min(minY, y[i]);
            maxY = Math.max(maxY, y[i]);
        }
        double cutoff = n == 0 ? 0 : metric.distance(minX, minY, maxX, maxY) / 3;
        // groups of sites by time, in ascending time
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] t = sites.t();
        Arrays.sort(order, (a, b) -> Double.compare(t[a], t[b]));
        List<int[]> groups = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        for (int s = 0; s < n;) {
            int e = s;
            while (e < n && t[order[e]] == t[order[s]]) {
                e++;
            }
            int[] g = new int[e - s];
            for (int i = s; i < e; i++) {
                g[i - s] = order[i];
            }
            groups.add(g);
            times.add(t[order[s]]);
            s = e;
        }
        int m = groups.size();
        int stride = bins + 1;
        double[] sumH = new double[(maxLag + 1) * stride];
        double[] sumG = new double[sumH.length];
        long[] count = new long[sumH.length];
        int[] visit = new int[m];
        for (int i = 0; i < m; i++) {
            visit[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = m - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = visit[i];
            visit[i] = visit[j];
            visit[j] = tmp;
        }
        long used = 0;
        double reach = (maxLag + 0.5) * timeUnit;
        for (int a : visit) {
            if (used >= pairBudget) {
                break;
            }
            int[] ga = groups.get(a);
            for (int b = a; b < m && times.get(b) - times.get(a) <= reach; b++) {
                int u = (int) Math.round((times.get(b) - times.get(a)) / timeUnit);
                if (u > maxLag) {
                    continue;
                }
                int[] gb = groups.get(b);
                long block = a == b ? (long) ga.length * (ga.length - 1) / 2 : (long) ga.length * gb.length;
                long left = pairBudget - used;
                if (block > left && block > 0) {
                    // sample this block at random (a single time with very many sites)
                    for (long k = 0; k < left; k++) {
                        int i = ga[rnd.nextInt(ga.length)];
                        int j = gb[rnd.nextInt(gb.length)];
                        if (i != j) {
                            add(metric, x, y, z, i, j, u, cutoff, bins, stride, sumH, sumG, count);
                        }
                    }
                    used += left;
                    continue;
                }
                for (int p = 0; p < ga.length; p++) {
                    int i = ga[p];
                    for (int q = a == b ? p + 1 : 0; q < gb.length; q++) {
                        add(metric, x, y, z, i, gb[q], u, cutoff, bins, stride, sumH, sumG, count);
                    }
                }
                used += block;
            }
        }
        List<double[]> rows = new ArrayList<>();
        for (int u = 0; u <= maxLag; u++) {
            for (int k = 0; k < stride; k++) {
                int i = u * stride + k;
                if (count[i] > 0) {
                    rows.add(new double[] {sumH[i] / count[i], u, count[i], sumG[i] / count[i]});
                }
            }
        }
        double[] h = new double[rows.size()];
        double[] l = new double[rows.size()];
        long[] c = new long[rows.size()];
        double[] g = new double[rows.size()];
        for (int i = 0; i < h.length; i++) {
            double[] r = rows.get(i);
            h[i] = r[0];
            l[i] = r[1];
            c[i] = (long) r[2];
            g[i] = r[3];
        }
        return new EmpiricalVariogram(h, l, c, g, cutoff, maxLag);
    }

    private static void add(DistanceMetric metric, double[] x, double[] y, double[] z, int i, int j, int u,
            double cutoff, int bins, int stride, double[] sumH, double[] sumG, long[] count) {
        double d = metric.distance(x[i], y[i], x[j], y[j]);
        if (d > cutoff) {
            return;
        }
        int k;
        if (d == 0) {
            if (u == 0) {
                return; // the same place and time: duplicates, not a lag
            }
            k = 0;
        } else {
            k = 1 + Math.min(bins - 1, (int) (d / cutoff * bins));
        }
        int idx = u * stride + k;
        double dz = z[i] - z[j];
        sumH[idx] += d;
        sumG[idx] += 0.5 * dz * dz;
        count[idx]++;
    }
}
