package dev.bayesnf.cli;

import dev.bayesnf.service.process.CsvTables;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFPredictor;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.core.Prediction;
import dev.bayesnf.core.compute.Backends;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bayesnf predict}: predictive mean and quantiles for the rows of a CSV file. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict with a fitted model: writes every input column, then mean, then one column per quantile (q0.025, ...).")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.bnf", description = "Model file from 'bayesnf fit'.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "POINTS.csv", description = "Points with the model's time and feature columns: CSV (dialect detected), GeoJSON, a GeoPackage point layer or a point shapefile.")
    Path data;

    @Mixin
    InputOptions input = new InputOptions();

    @Option(names = "--quantiles", split = ",", defaultValue = "0.025,0.5,0.975", paramLabel = "Q", description = "Quantile levels (default ${DEFAULT-VALUE}).")
    List<String> quantiles;

    @Option(names = "--residual-kriging", defaultValue = "yes", paramLabel = "yes|no", description = "Add the model's kriged residuals when it has them (default ${DEFAULT-VALUE}; no: BayesNF alone).")
    String residualKriging;

    @Option(names = "--lower-bound", paramLabel = "B", description = "The least value the quantity can take, e.g. 0 for a concentration or a wind speed: quantiles below it are raised to it and the mean is that of the distribution censored there (normal likelihood; default: none).")
    Double lowerBound;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|java|...", description = "Compute backend (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (default: all processors).")
    int threads;

    @Option(names = "--output", required = true, paramLabel = "OUT.csv", description = "CSV file to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        FitCommand.checkOutput(output);
        double[] levels = new double[quantiles.size()];
        for (int i = 0; i < levels.length; i++) {
            try {
                levels[i] = Double.parseDouble(quantiles.get(i).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--quantiles: '" + quantiles.get(i) + "' is not a number", e);
            }
        }
        BayesNFModel m = ModelFile.load(model);
        DataTable table = input.read(data, m.spec().time()).table();
        Prediction p = new BayesNFPredictor(Backends.select(device), threads,
                YesNo.parse("--residual-kriging", residualKriging, true))
                .withLowerBound(lowerBound == null ? Double.NaN : lowerBound).predict(m, table, levels);
        List<String> header = new ArrayList<>(table.columnNames());
        header.add("mean");
        for (String q : quantiles) {
            header.add("q" + q.trim());
        }
        List<String[]> cols = new ArrayList<>();
        for (String c : table.columnNames()) {
            cols.add(table.text(c));
        }
        CsvTables.writeAtomically(output, header, printer -> {
            List<Object> row = new ArrayList<>(header.size());
            for (int i = 0; i < table.rows(); i++) {
                row.clear();
                for (String[] c : cols) {
                    row.add(c[i]);
                }
                row.add(format(p.mean()[i]));
                for (double[] q : p.quantiles()) {
                    row.add(format(q[i]));
                }
                printer.printRecord(row);
            }
        });
        return 0;
    }

    static String format(double v) {
        return Float.toString((float) v);
    }
}
