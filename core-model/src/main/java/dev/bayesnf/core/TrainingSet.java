package dev.bayesnf.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of one fit, parsed once: a {@link DataTable} read as {@code spec} reads it. The
 * target (missing values allowed), the raw time of every row (period index for calendar time,
 * else the number, {@link TrainingStatistics#rawTime}) and each feature column are parsed the
 * first time they are asked for and kept, so that the statistics, the model inputs, the seasonal
 * features, the provenance and residual kriging all read the same numbers without parsing the
 * text again. Parsing on first use keeps the order in which a fit meets (and reports) bad data
 * exactly as when every step parsed for itself.
 *
 * <p>The arrays handed out inside the package are shared: read them, never write them. Safe for
 * use by several threads (the first parse of a column is done once, under the object's lock).
 */
public final class TrainingSet {
    private final ModelSpec spec;
    private final DataTable table;
    private double[] target;
    private int[] rows;
    private double[] time;
    private final Map<String, double[]> features = new HashMap<>();

    private TrainingSet(ModelSpec spec, DataTable table) {
        this.spec = spec;
        this.table = table;
    }

    /** The data of {@code table} as {@code spec} reads it; nothing is parsed yet. */
    public static TrainingSet of(ModelSpec spec, DataTable table) {
        return new TrainingSet(spec, table);
    }

    public ModelSpec spec() {
        return spec;
    }

    public DataTable table() {
        return table;
    }

    /** Rows of the table whose target is present (not missing). */
    public int[] observedRows() {
        return rows().clone();
    }

    /**
     * The target of every row of the table (a copy): NaN where it is missing; on the log scale
     * for the log target scalings ({@link TargetScaling#forward}).
     */
    public double[] target() {
        return targetValues().clone();
    }

    synchronized int[] rows() {
        if (rows == null) {
            double[] y = targetValues();
            List<Integer> r = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (!Double.isNaN(y[i])) {
                    r.add(i);
                }
            }
            rows = r.stream().mapToInt(Integer::intValue).toArray();
        }
        return rows;
    }

    /** The target of every row, NaN where missing (shared). */
    synchronized double[] targetValues() {
        if (target == null) {
            double[] y = table.numeric(spec.target(), true);
            TargetScaling ts = spec.targetScaling();
            if (ts.transforms()) {
                // the model works on log(y) (log(1 + y), √y): the target as it reads it
                for (int i = 0; i < y.length; i++) {
                    if (!Double.isNaN(y[i]) && !ts.accepts(y[i])) {
                        throw new DataException(table.where(i) + ", column '" + spec.target() + "': " + y[i]
                                + " cannot be taken by target scaling " + ts.id() + " (it needs " + ts.domain()
                                + (ts == TargetScaling.LOG ? "; log1p and sqrt take zeros)" : ")"));
                    }
                    y[i] = ts.forward(y[i]);
                }
            }
            target = y;
        }
        return target;
    }

    /** The raw time of every row (shared); the spec must have a time column. */
    synchronized double[] time() {
        if (time == null) {
            time = TrainingStatistics.rawTime(spec, table);
        }
        return time;
    }

    /** A feature column of every row, no value missing (shared). */
    synchronized double[] column(String name) {
        double[] v = features.get(name);
        if (v == null) {
            v = table.numeric(name, false);
            features.put(name, v);
        }
        return v;
    }

    /**
     * The given rows of this set, in that order, with what is parsed so far carried over (the
     * same numbers, not parsed again); messages about them still name their lines in the source.
     */
    public synchronized TrainingSet subset(int[] tableRows) {
        TrainingSet s = new TrainingSet(spec, table.subset(tableRows));
        s.target = target == null ? null : pick(target, tableRows);
        s.time = time == null ? null : pick(time, tableRows);
        features.forEach((k, v) -> s.features.put(k, pick(v, tableRows)));
        return s;
    }

    private static double[] pick(double[] v, int[] at) {
        double[] p = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            p[i] = v[at[i]];
        }
        return p;
    }
}
