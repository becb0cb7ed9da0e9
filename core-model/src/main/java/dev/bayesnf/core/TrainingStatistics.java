package dev.bayesnf.core;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Training-data statistics and the conversion of table rows to model inputs (spec §2):
 * time becomes an offset from the training minimum (period index for calendar time), listed
 * columns are z-scored with the training mean and population standard deviation, and the target
 * is left as it is, or z-scored the same way under {@link TargetScaling#STANDARD}.
 *
 * <p>Differences from the reference, on purpose: a column with (numerically) zero variance is
 * refused instead of dividing by zero, and a single training time gives time scale 1 instead of
 * dividing by zero.
 *
 * @param timeMin minimum training time (period index or number); 0 without time
 * @param timeScale maximum training time offset, or 1 when that is 0 or there is no time
 * @param mean per feature column (time excluded): training mean, or 0 when not standardized
 * @param std per feature column: population standard deviation, or 1 when not standardized
 * @param targetMean training mean of the target under {@link TargetScaling#STANDARD}, else 0
 * @param targetStd training population standard deviation of the target under
 *     {@link TargetScaling#STANDARD}, else 1
 */
public record TrainingStatistics(double timeMin, double timeScale, double[] mean, double[] std, double targetMean,
        double targetStd) {

    public TrainingStatistics {
        if (!(targetStd > 0) || !Double.isFinite(targetStd) || !Double.isFinite(targetMean)) {
            throw new IllegalArgumentException("the target scale must be positive and finite, got mean " + targetMean
                    + " and standard deviation " + targetStd);
        }
    }

    /** Statistics with the target as it is (mean 0, scale 1). */
    public TrainingStatistics(double timeMin, double timeScale, double[] mean, double[] std) {
        this(timeMin, timeScale, mean, std, 0, 1);
    }

    /** The target value as the network models it: (y - targetMean) / targetStd. */
    public double scaleTarget(double y) {
        return (y - targetMean) / targetStd;
    }

    /** A target-scale value (mean, quantile) back in the target's units. */
    public double unscaleTarget(double v) {
        return v * targetStd + targetMean;
    }

    /** Fits the statistics on the rows {@code trainRows} of {@code table} (those whose target is present). */
    public static TrainingStatistics fit(ModelSpec spec, DataTable table, int[] trainRows) {
        return fit(TrainingSet.of(spec, table), trainRows);
    }

    /** Fits the statistics on the rows {@code trainRows} of {@code data} (those whose target is present). */
    public static TrainingStatistics fit(TrainingSet data, int[] trainRows) {
        ModelSpec spec = data.spec();
        DataTable table = data.table();
        double tMin = 0;
        double tScale = 1;
        if (spec.time() != null) {
            double[] t = data.time();
            tMin = Double.POSITIVE_INFINITY;
            double tMax = Double.NEGATIVE_INFINITY;
            for (int r : trainRows) {
                tMin = Math.min(tMin, t[r]);
                tMax = Math.max(tMax, t[r]);
            }
            tScale = tMax > tMin ? tMax - tMin : 1;
        }
        int f = spec.features().size();
        double[] mean = new double[f];
        double[] std = new double[f];
        for (int i = 0; i < f; i++) {
            String col = spec.features().get(i);
            std[i] = 1;
            if (!spec.standardize().contains(col)) {
                continue;
            }
            double[] v = data.column(col);
            double s = 0;
            for (int r : trainRows) {
                s += v[r];
            }
            double mu = s / trainRows.length;
            double ss = 0;
            for (int r : trainRows) {
                ss += (v[r] - mu) * (v[r] - mu);
            }
            double sd = Math.sqrt(ss / trainRows.length);
            if (!(sd > 1e-12 * Math.max(1, Math.abs(mu)))) {
                throw new DataException(table.source() + ": column '" + col + "' has zero variance"
                        + " in the training rows (every value is " + mu + "), so it cannot be"
                        + " standardized; do not list it among the columns to standardize");
            }
            mean[i] = mu;
            std[i] = sd;
        }
        double tMean = 0;
        double tStd = 1;
        if (spec.targetScaling().standardizes()) {
            double[] y = data.targetValues();
            double s = 0;
            for (int r : trainRows) {
                s += y[r];
            }
            tMean = s / trainRows.length;
            double ss = 0;
            for (int r : trainRows) {
                ss += (y[r] - tMean) * (y[r] - tMean);
            }
            tStd = Math.sqrt(ss / trainRows.length);
            if (!(tStd > 1e-12 * Math.max(1, Math.abs(tMean)))) {
                throw new DataException(table.source() + ": target column '" + spec.target() + "' is constant in the"
                        + " training rows (every value is " + tMean + "), so it cannot be standardized; a constant"
                        + " needs no model (or use target scaling none)");
            }
        }
        return new TrainingStatistics(tMin, tScale, mean, std, tMean, tStd);
    }

    /** Rows of {@code table} whose target is present (not missing). */
    public static int[] observedRows(ModelSpec spec, DataTable table) {
        return TrainingSet.of(spec, table).rows();
    }

    /**
     * The raw time of every row: the period index for calendar time, else the number. Missing or
     * malformed times are errors naming the row.
     */
    public static double[] rawTime(ModelSpec spec, DataTable table) {
        if (spec.freq() == null) {
            return table.numeric(spec.time(), false);
        }
        String[] s = table.text(spec.time());
        double[] t = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            String v = s[i] == null ? "" : s[i].trim();
            try {
                LocalDateTime dt = Frequency.parseTimestamp(v);
                t[i] = spec.freq().periodIndex(dt);
            } catch (DateTimeParseException e) {
                throw new DataException(table.where(i) + ", column '" + spec.time() + "': '" + v
                        + "' is not a date or date-time (expected e.g. 2020-01-31 or 2020-01-31T12:00)");
            }
        }
        return t;
    }

    /** Time offsets t - timeMin of the given rows (the seasonal features use these). */
    public double[] timeOffsets(ModelSpec spec, DataTable table, int[] rows) {
        return timeOffsets(TrainingSet.of(spec, table), rows);
    }

    /** Time offsets t - timeMin of the given rows of {@code data}. */
    public double[] timeOffsets(TrainingSet data, int[] rows) {
        double[] t = data.time();
        double[] o = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            o[i] = t[rows[i]] - timeMin;
        }
        return o;
    }

    /** Model inputs x of the given rows: time offset first (if any), then the features. */
    public float[][] inputs(ModelSpec spec, DataTable table, int[] rows) {
        return inputs(TrainingSet.of(spec, table), rows);
    }

    /** Model inputs x of the given rows of {@code data}: time offset first (if any), then the features. */
    public float[][] inputs(TrainingSet data, int[] rows) {
        ModelSpec spec = data.spec();
        int f = spec.features().size();
        int d = f + (spec.time() != null ? 1 : 0);
        int base = spec.time() != null ? 1 : 0;
        float[][] x = new float[rows.length][d];
        if (spec.time() != null) {
            double[] o = timeOffsets(data, rows);
            for (int i = 0; i < rows.length; i++) {
                x[i][0] = (float) o[i];
            }
        }
        for (int j = 0; j < f; j++) {
            double[] v = data.column(spec.features().get(j));
            for (int i = 0; i < rows.length; i++) {
                x[i][base + j] = (float) ((v[rows[i]] - mean[j]) / std[j]);
            }
        }
        return x;
    }

    /** The 2J seasonal values of the given rows. */
    public float[][] seasonal(ModelSpec spec, FeatureLayout layout, DataTable table, int[] rows) {
        return seasonal(TrainingSet.of(spec, table), layout, rows);
    }

    /** The 2J seasonal values of the given rows of {@code data}. */
    public float[][] seasonal(TrainingSet data, FeatureLayout layout, int[] rows) {
        int w = layout.seasonalWidth();
        float[][] s = new float[rows.length][w];
        if (w > 0) {
            double[] o = timeOffsets(data, rows);
            for (int i = 0; i < rows.length; i++) {
                layout.seasonalFeatures(o[i], s[i], 0);
            }
        }
        return s;
    }

    /** All row indices 0..n-1. */
    public static int[] allRows(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
