package dev.bayesnf.cli;

import dev.bayesnf.service.process.CsvTables;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFPredictor;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.core.Prediction;
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

    @Mixin
    PredictionOptions prediction = new PredictionOptions();

    @Option(names = "--output", required = true, paramLabel = "OUT.csv", description = "CSV file to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        FitCommand.checkOutput(output);
        double[] levels = PredictionOptions.levels(quantiles);
        BayesNFModel m = ModelFile.load(model);
        dev.bayesnf.service.formats.ObservationTable points = input.read(data, m.spec().time());
        String modelCrs = m.georeference().map(g -> g.crs()).orElse(null);
        if (points.crsDiffersFrom(modelCrs)) {
            throw new IllegalArgumentException(data + " is in " + points.crs().get() + ", the model in "
                    + dev.bayesnf.service.formats.ObservationTable.describeCrs(modelCrs) + "; give the points in the model's CRS");
        }
        DataTable table = points.table();
        Prediction p = new BayesNFPredictor(prediction.backend(), prediction.threads, prediction.residualKriging())
                .withLowerBound(prediction.lowerBound()).predict(m, table, levels);
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
