package dev.bayesnf.opencl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seasonal features of a table as a table of distinct rows plus an index per row, the form
 * the kernel reads them in ({@code KernelState.seasonal}, {@code KernelState.seasonalIndex}). The
 * seasonal features are a function of the time alone, and a space-time table has many rows per
 * time step, so the table the features pass reads shrinks to one that stays in cache: read per
 * row from the full table, in batch order, the features pass waited on memory for a large part of
 * its time (figures in docs/BENCHMARKS.md, "seasonal features as a table of distinct rows").
 */
final class SeasonalTable {
    private SeasonalTable() {
    }

    /**
     * The distinct rows among the first {@code rows} of {@code seasonal}, in order of first
     * appearance, and in index[r] the one of row r.
     */
    static List<float[]> distinctRows(float[][] seasonal, int rows, int[] index) {
        Map<RowKey, Integer> seen = new HashMap<>();
        List<float[]> distinct = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            // rows of one time step tend to be adjacent (a raster's cells, a day's stations)
            if (r > 0 && Arrays.equals(seasonal[r], seasonal[r - 1])) {
                index[r] = index[r - 1];
                continue;
            }
            Integer i = seen.putIfAbsent(new RowKey(seasonal[r]), distinct.size());
            if (i == null) {
                i = distinct.size();
                distinct.add(seasonal[r]);
            }
            index[r] = i;
        }
        return distinct;
    }

    /** Copies rows of s values one after the other into {@code out}. */
    static void pack(List<float[]> rows, int s, float[] out) {
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out, i * s, s);
        }
    }

    /** A row as a map key, equal by bit pattern ({@link Arrays#equals(float[], float[])}). */
    private record RowKey(float[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k && Arrays.equals(v, k.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }
    }
}
