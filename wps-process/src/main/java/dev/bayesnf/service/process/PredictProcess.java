package dev.bayesnf.service.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFPredictor;
import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.Prediction;
import dev.bayesnf.core.compute.Backends;
import dev.bayesnf.service.formats.ObservationTable;
import dev.bayesnf.service.raster.RasterProduct;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code bayesnf:Predict}: the predictive mean and quantiles of a stored model at given points
 * (and times), as CSV (every input column, then mean and q-columns, like {@code bayesnf predict})
 * or as GeoJSON (the input features with the predictions added to their properties).
 */
public final class PredictProcess implements BayesProcess {
    public static final String ID = "bayesnf:Predict";

    private final ProcessLimits config;
    private final ProcessSpec spec;

    public PredictProcess(ProcessLimits config) {
        this.config = config;
        this.spec = new ProcessSpec(ID, "Predict at points",
                "Predictive mean and quantiles of a stored BayesNF model at the given points and times.", "1.0.0",
                List.of(ModelInput.spec(),
                        InputSpec.complex("points", DataDocuments.observationFormats())
                                .title("Points").describe("CSV or GeoJSON with the model's time and feature columns;"
                                        + " at most " + config.maxRows() + " rows").build(),
                        Quantiles.spec(), ResidualKrigingInput.predictionSpec(), LowerBound.spec()),
                List.of(OutputSpec.complex("result", "Predictions", "Input columns, mean and one column per quantile",
                        Formats.CSV, Formats.GEOJSON)));
    }

    @Override
    public ProcessSpec spec() {
        return spec;
    }

    @Override
    public void validate(ProcessInputs in, ModelStore models) {
        ModelInput.load(in, models);
        Quantiles.levels(in);
    }

    @Override
    public Map<String, OutputValue> execute(ProcessInputs in, ProcessContext ctx) throws Exception {
        BayesNFModel model = ModelInput.load(in, ctx.models());
        double[] levels = Quantiles.levels(in);
        InputValue.Complex doc = in.document("points").orElseThrow();
        ObservationTable points = DataDocuments.observations("points", doc, config.maxRows());
        String modelCrs = model.georeference().map(g -> g.crs()).orElse(null);
        if (points.crsDiffersFrom(modelCrs)) {
            throw ProcessException.invalid("points", "input 'points' is in " + points.crs().get() + ", the model in "
                    + ObservationTable.describeCrs(modelCrs) + "; give the points in the model's CRS");
        }
        DataTable table = points.table();
        Prediction p;
        try {
            p = new BayesNFPredictor(Backends.select(Backends.configuredRequest()), 0,
                    ResidualKrigingInput.enabled(in, true)).withLowerBound(LowerBound.of(in)).predict(model, table, levels);
        } catch (DataException e) {
            throw ProcessException.invalid("points", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ProcessException.invalid(LowerBound.ID, e.getMessage());
        }
        ctx.progress(90, "writing the predictions");
        Format format = spec.output("result").orElseThrow().format(ctx.requestedFormat("result"));
        Path file = ctx.resultDir().resolve("predictions." + format.extension());
        List<String> qNames = new ArrayList<>();
        for (double q : levels) {
            qNames.add(RasterProduct.quantileName(q));
        }
        if (format == Formats.GEOJSON) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode fc = m.createObjectNode();
            fc.put("type", "FeatureCollection");
            ArrayNode feats = fc.putArray("features");
            double[] lon = table.has("longitude") ? table.numeric("longitude", true) : null;
            double[] lat = table.has("latitude") ? table.numeric("latitude", true) : null;
            for (int i = 0; i < table.rows(); i++) {
                ObjectNode f = feats.addObject();
                f.put("type", "Feature");
                if (lon != null && lat != null) {
                    ObjectNode g = f.putObject("geometry");
                    g.put("type", "Point");
                    g.putArray("coordinates").add(lon[i]).add(lat[i]);
                } else {
                    f.putNull("geometry");
                }
                ObjectNode props = f.putObject("properties");
                for (String c : table.columnNames()) {
                    if (!c.equals("longitude") && !c.equals("latitude") || lon == null) {
                        props.put(c, table.text(c)[i]);
                    }
                }
                props.put("mean", (float) p.mean()[i]);
                for (int k = 0; k < levels.length; k++) {
                    props.put(qNames.get(k), (float) p.quantiles()[k][i]);
                }
            }
            Files.writeString(file, m.writeValueAsString(fc));
        } else {
            List<String> header = new ArrayList<>(table.columnNames());
            header.add("mean");
            header.addAll(qNames);
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                    CSVPrinter printer = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                            .setHeader(header.toArray(new String[0])).setRecordSeparator('\n').get())) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < table.rows(); i++) {
                    row.clear();
                    for (String c : table.columnNames()) {
                        row.add(table.text(c)[i]);
                    }
                    row.add(Float.toString((float) p.mean()[i]));
                    for (double[] q : p.quantiles()) {
                        row.add(Float.toString((float) q[i]));
                    }
                    printer.printRecord(row);
                }
            }
        }
        return Map.of("result", new OutputValue.Document(file, format));
    }
}
