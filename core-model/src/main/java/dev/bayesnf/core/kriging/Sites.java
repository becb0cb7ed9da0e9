package dev.bayesnf.core.kriging;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Observed values at sites in space and time: coordinates (x, y) in the distance metric's
 * coordinates (easting/northing, or longitude/latitude in degrees), time in time units (0 for
 * data without time), and the value. Several values at one place and time are merged into their
 * mean ({@link #mergeDuplicates}): a kriging system cannot tell them apart.
 *
 * <p>Immutable (arrays are not copied: callers hand them over).
 */
public record Sites(double[] x, double[] y, double[] t, double[] value) {
    public Sites {
        int n = x.length;
        if (y.length != n || t.length != n || value.length != n) {
            throw new IllegalArgumentException("site arrays differ in length: " + n + ", " + y.length + ", "
                    + t.length + ", " + value.length);
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]) || !Double.isFinite(t[i]) || !Double.isFinite(value[i])) {
                throw new IllegalArgumentException("site " + i + " is not finite: (" + x[i] + ", " + y[i] + ", "
                        + t[i] + ") = " + value[i]);
            }
        }
    }

    /** Number of sites. */
    public int size() {
        return x.length;
    }

    /** Mean of the squared values: the variance of a zero-mean field. */
    public double meanSquare() {
        double s = 0;
        for (double v : value) {
            s += v * v;
        }
        return value.length == 0 ? 0 : s / value.length;
    }

    /** These sites with values at one place and time averaged into one site. */
    public Sites mergeDuplicates() {
        Map<Key, Integer> first = new HashMap<>();
        int n = size();
        int[] into = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            Integer j = first.putIfAbsent(new Key(x[i], y[i], t[i]), m);
            into[i] = j == null ? m++ : j;
        }
        if (m == n) {
            return this;
        }
        double[] nx = new double[m];
        double[] ny = new double[m];
        double[] nt = new double[m];
        double[] nv = new double[m];
        int[] count = new int[m];
        for (int i = 0; i < n; i++) {
            int j = into[i];
            nx[j] = x[i];
            ny[j] = y[i];
            nt[j] = t[i];
            nv[j] += value[i];
            count[j]++;
        }
        for (int j = 0; j < m; j++) {
            nv[j] /= count[j];
        }
        return new Sites(nx, ny, nt, nv);
    }

    private record Key(double x, double y, double t) {}

    @Override
    public boolean equals(Object o) {
        return o instanceof Sites s && Arrays.equals(x, s.x) && Arrays.equals(y, s.y) && Arrays.equals(t, s.t)
                && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Sites[" + size() + "]";
    }
}
