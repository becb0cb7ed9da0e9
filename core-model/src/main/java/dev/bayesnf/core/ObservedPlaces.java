package dev.bayesnf.core;

import dev.bayesnf.core.kriging.Sites;
import java.util.HashSet;
import java.util.Set;

/**
 * The places of a model's training rows, by their exact raw coordinates, and the split of rows to
 * predict into those at these places and the others, for a model whose hybrid at new places differs
 * from the one at observed places ({@link NewPlacesHybrid}). Immutable.
 */
final class ObservedPlaces {
    /** A place, by its exact raw coordinates. */
    private record Place(double x, double y) {}

    /** Predicts rows of one kind into {@code mean[offset..]} and {@code quant[j][offset..]}. */
    @FunctionalInterface
    interface Part {
        void predict(boolean atObserved, float[][] x, float[][] seasonal, double[] sx, double[] sy, double[] st,
                double[] mean, double[][] quant, int offset);
    }

    private final Set<Place> places = new HashSet<>();

    /** The places of the rows of {@code sites}. */
    ObservedPlaces(Sites sites) {
        for (int i = 0; i < sites.size(); i++) {
            places.add(new Place(sites.x()[i], sites.y()[i]));
        }
    }

    /** Whether (x, y) is exactly the place of a training row. */
    boolean contains(double x, double y) {
        return places.contains(new Place(x, y));
    }

    /**
     * Predicts the rows at observed places and the others, each kind in one call of {@code part}
     * (the rows copied out and the results back when both kinds occur), into
     * {@code mean[offset..]} and {@code quant[j][offset..]}.
     */
    void split(float[][] x, float[][] seasonal, double[] sx, double[] sy, double[] st, double[] levels,
            double[] mean, double[][] quant, int offset, Part part) {
        int n = x.length;
        boolean[] seen = new boolean[n];
        int nSeen = 0;
        for (int i = 0; i < n; i++) {
            seen[i] = contains(sx[i], sy[i]);
            nSeen += seen[i] ? 1 : 0;
        }
        for (int kind = 0; kind < 2; kind++) {
            boolean atObserved = kind == 0;
            int k = atObserved ? nSeen : n - nSeen;
            if (k == n) {
                part.predict(atObserved, x, seasonal, sx, sy, st, mean, quant, offset);
                return;
            }
            if (k == 0) {
                continue;
            }
            int[] idx = new int[k];
            for (int i = 0, j = 0; i < n; i++) {
                if (seen[i] == atObserved) {
                    idx[j++] = i;
                }
            }
            float[][] px = new float[k][];
            float[][] ps = new float[k][];
            double[] pxs = new double[k];
            double[] pys = new double[k];
            double[] pts = new double[k];
            for (int j = 0; j < k; j++) {
                px[j] = x[idx[j]];
                ps[j] = seasonal[idx[j]];
                pxs[j] = sx[idx[j]];
                pys[j] = sy[idx[j]];
                pts[j] = st[idx[j]];
            }
            double[] pm = new double[k];
            double[][] pq = new double[levels.length][k];
            part.predict(atObserved, px, ps, pxs, pys, pts, pm, pq, 0);
            for (int j = 0; j < k; j++) {
                mean[offset + idx[j]] = pm[j];
                for (int l = 0; l < levels.length; l++) {
                    quant[l][offset + idx[j]] = pq[l][j];
                }
            }
        }
    }
}
