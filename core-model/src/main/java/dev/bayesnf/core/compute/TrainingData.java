package dev.bayesnf.core.compute;

/**
 * The training table as the backends see it: N rows of D inputs (time offset first when the
 * model has time, other columns standardized), the 2J precomputed seasonal values of each row,
 * and the target. Row-major {@code float[row][column]}.
 *
 * <p>The arrays are shared, not copied: callers must not modify them after construction.
 */
public record TrainingData(float[][] x, float[][] seasonal, float[] y) {
    public TrainingData {
        if (x.length != y.length || seasonal.length != y.length) {
            throw new IllegalArgumentException("training arrays differ in length: x " + x.length
                    + ", seasonal " + seasonal.length + ", y " + y.length);
        }
    }

    /** Number of rows N. */
    public int rows() {
        return y.length;
    }
}
