package dev.bayesnf.core.kriging;

/**
 * A static k-d tree over points in three dimensions (sites embedded by
 * {@link DistanceMetric#embed}), answering k-nearest-neighbour queries without allocating.
 * Built once by median splits; the tree is implicit in a permutation of the points.
 *
 * <p>Written here rather than taken from a library: JTS's trees are two-dimensional (great-circle
 * neighbours need the three-dimensional chord embedding), and each of the many per-time-step
 * trees is small, so a compact array layout matters more than generality.
 *
 * <p>Immutable after construction; queries are thread-safe when each thread passes its own
 * output arrays.
 */
final class KdTree {
    private final double[] p; // 3 coordinates per point, in tree order
    private final int[] id; // caller's index of each point, in tree order
    private final byte[] axis; // split axis of the node at each position

    /**
     * @param coords 3 coordinates per point
     * @param ids caller's index of each point
     */
    KdTree(double[] coords, int[] ids) {
        int n = ids.length;
        p = coords.clone();
        id = ids.clone();
        axis = new byte[n];
        build(0, n);
    }

    int size() {
        return id.length;
    }

    private void build(int lo, int hi) {
        if (hi - lo <= 1) {
            return;
        }
        // split on the axis of largest spread
        double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = lo; i < hi; i++) {
            for (int a = 0; a < 3; a++) {
                min[a] = Math.min(min[a], p[3 * i + a]);
                max[a] = Math.max(max[a], p[3 * i + a]);
            }
        }
        int ax = 0;
        for (int a = 1; a < 3; a++) {
            if (max[a] - min[a] > max[ax] - min[ax]) {
                ax = a;
            }
        }
        int mid = (lo + hi) >>> 1;
        select(lo, hi - 1, mid, ax);
        axis[mid] = (byte) ax;
        build(lo, mid);
        build(mid + 1, hi);
    }

    /** Quickselect: the point of rank k along axis ax at position k. */
    private void select(int lo, int hi, int k, int ax) {
        while (hi > lo) {
            double pivot = p[3 * ((lo + hi) >>> 1) + ax];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (p[3 * i + ax] < pivot) {
                    i++;
                }
                while (p[3 * j + ax] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(i++, j--);
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private void swap(int a, int b) {
        for (int c = 0; c < 3; c++) {
            double t = p[3 * a + c];
            p[3 * a + c] = p[3 * b + c];
            p[3 * b + c] = t;
        }
        int t = id[a];
        id[a] = id[b];
        id[b] = t;
    }

    /**
     * The up to k nearest points to q: their ids in {@code outId} and squared distances in
     * {@code outD2}, as a max-heap (unordered). Returns how many were found.
     */
    int nearest(double qx, double qy, double qz, int k, int[] outId, double[] outD2) {
        int[] count = {0};
        search(0, id.length, qx, qy, qz, k, outId, outD2, count);
        return count[0];
    }

    private void search(int lo, int hi, double qx, double qy, double qz, int k, int[] outId, double[] outD2,
            int[] count) {
        if (lo >= hi) {
            return;
        }
        int mid = (lo + hi) >>> 1;
        double dx = p[3 * mid] - qx;
        double dy = p[3 * mid + 1] - qy;
        double dz = p[3 * mid + 2] - qz;
        // the k smallest squared distances: the farthest kept at outD2[0]
        count[0] = BoundedHeap.offer(id[mid], dx * dx + dy * dy + dz * dz, k, outId, outD2, count[0], -1);
        if (hi - lo == 1) {
            return;
        }
        int ax = axis[mid];
        double diff = (ax == 0 ? qx : ax == 1 ? qy : qz) - p[3 * mid + ax];
        int nLo = diff < 0 ? lo : mid + 1;
        int nHi = diff < 0 ? mid : hi;
        int fLo = diff < 0 ? mid + 1 : lo;
        int fHi = diff < 0 ? hi : mid;
        search(nLo, nHi, qx, qy, qz, k, outId, outD2, count);
        if (count[0] < k || diff * diff < outD2[0]) {
            search(fLo, fHi, qx, qy, qz, k, outId, outD2, count);
        }
    }
}
