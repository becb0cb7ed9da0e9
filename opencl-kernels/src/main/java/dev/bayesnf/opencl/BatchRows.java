package dev.bayesnf.opencl;

import java.util.Arrays;

/**
 * Uploads the batch rows of a step into a network's kernel ({@link KernelState#batchRows}): checks
 * them against the table and stores each member's list in ascending row order.
 *
 * <p>Not thread-safe.
 */
final class BatchRows {
    private final NetworkKernel kern;
    private final PassRunner runner;
    /**
     * One bit per row the table can hold, clear between uses ({@link #putSorted}). Sized by the
     * capacity, not by the rows loaded when first used: a prediction network's later calls may
     * load more rows, up to its capacity.
     */
    private final long[] rowBits;

    BatchRows(NetworkKernel kernel, PassRunner runner, int capacity) {
        this.kern = kernel;
        this.runner = runner;
        this.rowBits = new long[(capacity + 63) >>> 6];
    }

    /**
     * Uploads the batch rows: one list per member, or one shared list. All lists have one length.
     *
     * @param dataRows the rows the table holds now
     * @return the batch size
     */
    int put(int[][] rows, int dataRows) {
        int b = rows[0].length;
        for (int[] r : rows) {
            if (r.length != b) {
                throw new IllegalArgumentException("batches of one step must have one size, got "
                        + b + " and " + r.length);
            }
            for (int v : r) {
                if (v < 0 || v >= dataRows) {
                    throw new IllegalArgumentException("batch row " + v + " is outside the " + dataRows
                            + " training rows");
                }
            }
        }
        if (b == 0 || (long) b * rows.length > kern.batchRows.length) {
            throw new IllegalArgumentException("batch of " + b + " rows does not fit the " + dataRows
                    + " training rows");
        }
        long t0 = System.nanoTime();
        for (int k = 0; k < rows.length; k++) {
            putSorted(rows[k], k * b);
        }
        kern.sharedBatch = rows.length == 1 ? 1 : 0;
        kern.batchSize = b;
        kern.put(kern.batchRows);
        runner.record("put rows", t0);
        return b;
    }

    /**
     * Copies one batch into the kernel's batchRows at off in ascending row order. A batch's loss
     * and gradient are sums over its rows, so their order changes only the float rounding;
     * ascending rows make the per-row passes' reads of the table (x, the seasonal index, y) move
     * forward through memory instead of jumping (a batch is a small random part of the table).
     * Ordered through a bit set of the table's rows, which costs a fraction of sorting the lists
     * (docs/BENCHMARKS.md); a batch that repeats a row (the bit set would drop it) is sorted
     * instead.
     */
    private void putSorted(int[] batch, int off) {
        for (int v : batch) {
            rowBits[v >>> 6] |= 1L << v;
        }
        int o = off;
        for (int w = 0; w < rowBits.length; w++) {
            long bits = rowBits[w];
            while (bits != 0) {
                kern.batchRows[o++] = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
            rowBits[w] = 0L;
        }
        if (o != off + batch.length) {
            System.arraycopy(batch, 0, kern.batchRows, off, batch.length);
            Arrays.sort(kern.batchRows, off, off + batch.length);
        }
    }
}
