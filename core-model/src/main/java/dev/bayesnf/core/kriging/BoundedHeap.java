package dev.bayesnf.core.kriging;

/**
 * The k best of a stream of candidates (ids with keys), kept as a binary heap in two arrays with
 * the worst kept candidate at index 0: best means the largest key for {@code sign} = +1 (the
 * largest covariances of {@link SpaceTimeIndex}) and the smallest for {@code sign} = -1 (the
 * nearest points of {@link KdTree}). Keys are stored as given; only comparisons use sign·key, an
 * exact product, so both uses order and break ties as their own heaps did.
 */
final class BoundedHeap {
    private BoundedHeap() {}

    /**
     * Offers a candidate to a heap of {@code count} entries and capacity {@code k}.
     *
     * @return the new count
     */
    static int offer(int id, double key, int k, int[] ids, double[] keys, int count, double sign) {
        double v = sign * key;
        if (count < k) {
            int i = count;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (sign * keys[parent] <= v) {
                    break;
                }
                keys[i] = keys[parent];
                ids[i] = ids[parent];
                i = parent;
            }
            keys[i] = key;
            ids[i] = id;
            return count + 1;
        }
        if (v > sign * keys[0]) {
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= count) {
                    break;
                }
                if (c + 1 < count && sign * keys[c + 1] < sign * keys[c]) {
                    c++;
                }
                if (sign * keys[c] >= v) {
                    break;
                }
                keys[i] = keys[c];
                ids[i] = ids[c];
                i = c;
            }
            keys[i] = key;
            ids[i] = id;
        }
        return count;
    }
}
