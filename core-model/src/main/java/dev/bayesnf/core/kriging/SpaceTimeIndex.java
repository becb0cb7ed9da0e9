package dev.bayesnf.core.kriging;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

/**
 * The neighbourhood search of {@link ResidualKriging}: the sites grouped by time (ascending),
 * with a k-d tree of the embedded places for each large group, and per thread a {@link Search}
 * for the at most k sites of largest covariance to a point among those within the time window.
 *
 * <p>Immutable and thread-safe; each thread searches through its own {@link #search}.
 */
final class SpaceTimeIndex {
    /** Time steps with at most this many sites are searched exhaustively instead of by tree. */
    private static final int BRUTE_FORCE = 64;

    private final Sites sites;
    private final DistanceMetric metric;
    private final double[] groupTime;
    private final int[] groupStart;
    private final int[] member;
    private final KdTree[] trees;

    /** Indexes {@code sites} (merged: one value per place and time) for distances by {@code metric}. */
    SpaceTimeIndex(Sites sites, DistanceMetric metric) {
        this.sites = sites;
        this.metric = metric;
        int n = sites.size();
        double[] t = sites.t();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(t[a], t[b]));
        member = new int[n];
        int groups = 0;
        for (int i = 0; i < n; i++) {
            member[i] = order[i];
            if (i == 0 || t[order[i]] != t[order[i - 1]]) {
                groups++;
            }
        }
        groupTime = new double[groups];
        groupStart = new int[groups + 1];
        int g = -1;
        for (int i = 0; i < n; i++) {
            if (i == 0 || t[member[i]] != t[member[i - 1]]) {
                g++;
                groupTime[g] = t[member[i]];
                groupStart[g] = i;
            }
        }
        groupStart[groups] = n;
        double[] embedded = new double[3 * n];
        for (int i = 0; i < n; i++) {
            metric.embed(sites.x()[i], sites.y()[i], embedded, 3 * i);
        }
        trees = new KdTree[groups];
        for (int k = 0; k < groups; k++) {
            int size = groupStart[k + 1] - groupStart[k];
            if (size > BRUTE_FORCE) {
                double[] c = new double[3 * size];
                int[] ids = new int[size];
                for (int j = 0; j < size; j++) {
                    int s = member[groupStart[k] + j];
                    ids[j] = s;
                    System.arraycopy(embedded, 3 * s, c, 3 * j, 3);
                }
                trees[k] = new KdTree(c, ids);
            }
        }
    }

    /**
     * A search for one thread.
     *
     * @param k most sites per search
     * @param reach the time window in time units
     * @param timeUnit the time that lag 1 stands for
     * @param covariance the covariance at distance h and time lag u (time units); sites where it
     *     is not positive are never neighbours
     */
    Search search(int k, int reach, double timeUnit, DoubleBinaryOperator covariance) {
        return new Search(k, reach, timeUnit, covariance);
    }

    /** Finds neighbours with scratch buffers of its own; not thread-safe. */
    final class Search {
        private final int k;
        private final int window;
        private final double timeUnit;
        private final DoubleBinaryOperator covariance;
        private final double[] heapCov;
        private final int[] heapId;
        private final int[] knnId;
        private final double[] knnD2;
        private final double[] q = new double[3];
        private int count;

        private Search(int k, int window, double timeUnit, DoubleBinaryOperator covariance) {
            this.k = k;
            this.window = window;
            this.timeUnit = timeUnit;
            this.covariance = covariance;
            heapCov = new double[k];
            heapId = new int[k];
            knnId = new int[k];
            knnD2 = new double[k];
        }

        /**
         * The sites of largest covariance to (x, y, t): returns how many (at most k) and leaves
         * their indices, in no particular order, in the first elements of {@link #found()}.
         *
         * @param leaveOut leave out sites at exactly this place and time
         */
        int nearest(double x, double y, double t, boolean leaveOut) {
            count = 0;
            metric.embed(x, y, q, 0);
            double reach = window * timeUnit;
            int lo = lowerBound(t - reach - 1e-9 * Math.max(1, Math.abs(t)));
            for (int g = lo; g < groupTime.length && groupTime[g] <= t + reach + 1e-9 * Math.max(1, Math.abs(t)); g++) {
                double u = Math.abs(groupTime[g] - t) / timeUnit;
                if (covariance.applyAsDouble(0, u) <= 0) {
                    continue;
                }
                boolean sameTime = groupTime[g] == t;
                if (trees[g] == null) {
                    for (int j = groupStart[g]; j < groupStart[g + 1]; j++) {
                        consider(member[j], x, y, u, sameTime, leaveOut);
                    }
                } else {
                    int found = trees[g].nearest(q[0], q[1], q[2], k, knnId, knnD2);
                    for (int j = 0; j < found; j++) {
                        consider(knnId[j], x, y, u, sameTime, leaveOut);
                    }
                }
            }
            return count;
        }

        /** The indices of the sites the last {@link #nearest} found (shared buffer). */
        int[] found() {
            return heapId;
        }

        /** Offers site s (at lag u) to the bounded min-heap of the largest covariances. */
        private void consider(int s, double x, double y, double u, boolean sameTime, boolean leaveOut) {
            double h = metric.distance(x, y, sites.x()[s], sites.y()[s]);
            if (leaveOut && sameTime && h == 0) {
                return;
            }
            double c = covariance.applyAsDouble(h, u);
            if (!(c > 0)) {
                return;
            }
            count = BoundedHeap.offer(s, c, k, heapId, heapCov, count, 1);
        }

        private int lowerBound(double v) {
            int lo = 0;
            int hi = groupTime.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (groupTime[mid] < v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
