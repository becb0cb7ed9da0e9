package dev.bayesnf.cli;

import dev.bayesnf.service.process.CsvTables;
import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bayesnf score}: scores any method's predictions of a test file with the project's one
 * scoring implementation ({@link Metrics}), so that external peers (kriging, the reference's
 * stored predictions) and this project are measured the same way. Used by {@code bench/compare}.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score predictions against a test file: prints a CSV header and one line mae,rmse,is95,coverage95,rows.")
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--truth", required = true, paramLabel = "TEST.csv", description = "CSV with the observed values.")
    Path truth;

    @Option(names = "--target", required = true, paramLabel = "COL", description = "Column of TEST.csv with the observed values.")
    String target;

    @Option(names = "--predictions", required = true, paramLabel = "PRED.csv",
            description = "CSV with the predictions: one row per test row in the same order, or joined with --join.")
    Path predictions;

    @Option(names = "--mean", defaultValue = "mean", paramLabel = "COL", description = "Point prediction column (default ${DEFAULT-VALUE}).")
    String mean;

    @Option(names = "--lower", defaultValue = "q0.025", paramLabel = "COL", description = "Lower 95%% bound column (default ${DEFAULT-VALUE}).")
    String lower;

    @Option(names = "--upper", defaultValue = "q0.975", paramLabel = "COL", description = "Upper 95%% bound column (default ${DEFAULT-VALUE}).")
    String upper;

    @Option(names = "--point-only", description = "Predictions have no interval: IS95 and coverage95 are printed as NaN.")
    boolean pointOnly;

    @Option(names = "--join", paramLabel = "COL",
            description = "Match prediction rows to test rows by this id column (present in both files; an unnamed first column is 'index').")
    String join;

    @Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() {
        DataTable t = CsvTables.read(truth);
        DataTable p = CsvTables.read(predictions);
        double[] y = t.numeric(target, false);
        int n = y.length;
        if (n == 0) {
            throw new DataException(truth + ": no test rows");
        }
        int[] row = new int[n];
        if (join == null) {
            if (p.rows() != n) {
                throw new DataException(predictions + ": " + p.rows() + " prediction rows for " + n + " test rows (use --join)");
            }
            for (int i = 0; i < n; i++) {
                row[i] = i;
            }
        } else {
            String[] pid = p.text(join);
            String[] tid = t.text(join);
            Map<String, Integer> pos = new HashMap<>();
            for (int i = 0; i < pid.length; i++) {
                pos.put(pid[i].trim(), i);
            }
            for (int i = 0; i < n; i++) {
                Integer r = pos.get(tid[i].trim());
                if (r == null) {
                    throw new DataException(predictions + ": no prediction for " + join + " '" + tid[i] + "'");
                }
                row[i] = r;
            }
        }
        double[] pm = p.numeric(mean, false);
        double[] m = new double[n];
        double[] l = new double[n];
        double[] u = new double[n];
        double[] pl = pointOnly ? null : p.numeric(lower, false);
        double[] pu = pointOnly ? null : p.numeric(upper, false);
        for (int i = 0; i < n; i++) {
            m[i] = pm[row[i]];
            l[i] = pointOnly ? Double.NEGATIVE_INFINITY : pl[row[i]];
            u[i] = pointOnly ? Double.POSITIVE_INFINITY : pu[row[i]];
        }
        Metrics s = Metrics.of(y, m, l, u);
        PrintWriter out = commandSpec.commandLine().getOut();
        out.println("mae,rmse,is95,coverage95,rows");
        out.printf(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f,%d%n", s.mae(), s.rmse(), pointOnly ? Double.NaN : s.is95(),
                pointOnly ? Double.NaN : s.coverage95(), n);
        out.flush();
        return 0;
    }
}
