package dev.bayesnf.service.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFPredictor;
import dev.bayesnf.core.DataException;
import dev.bayesnf.core.TrainingStatistics;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.Frequency;
import dev.bayesnf.core.ModelSpec;
import dev.bayesnf.core.compute.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code bayesnf:Variogram}: empirical semivariograms, the variography the paper promises. The
 * spatial semivariogram pools pairs of observations taken at the same time (all pairs for purely
 * spatial data): γ(h) = mean of (z_i − z_j)²/2 over pairs whose distance falls in the bin around
 * h, with 15 equal bins up to half the largest distance. The temporal semivariogram pools pairs at
 * the same location k periods apart, for k = 1..30. Distances are great-circle kilometres for
 * longitude/latitude coordinates and CRS units otherwise. Given a model, the same is computed for
 * the residuals (observation minus predictive mean), which shows the structure the model left.
 *
 * <p>When there are more than 5 million same-time pairs, time steps are sampled (seeded, without
 * replacement) until the budget is used; the pair counts in the result say how many were used.
 */
public final class VariogramProcess implements BayesProcess {
    public static final String ID = "bayesnf:Variogram";
    private static final int BINS = 15;
    private static final int MAX_LAG = 30;
    private static final long PAIR_BUDGET = 5_000_000L;

    private final ProcessLimits config;
    private final ProcessSpec spec;

    public VariogramProcess(ProcessLimits config) {
        this.config = config;
        this.spec = new ProcessSpec(ID, "Empirical semivariograms",
                "Spatial and temporal empirical semivariograms of observations and, given a model, of its residuals.",
                "1.0.0",
                List.of(InputSpec.complex("data", DataDocuments.observationFormats())
                                .title("Observations").optional()
                                .describe("CSV or GeoJSON points with the target (and time) columns; optional with a"
                                        + " model fitted with residual kriging (its fitted residual variogram is"
                                        + " returned)").build(),
                        InputSpec.literal("model", "string").title("Model id").optional()
                                .describe("A stored model: its target, time and coordinate columns are used, and"
                                        + " residual semivariograms are added").build(),
                        InputSpec.literal("target", "string").title("Target column").optional()
                                .describe("Needed without a model").build(),
                        InputSpec.literal("time", "string").title("Time column").optional().build(),
                        InputSpec.literal("freq", "string").title("Time frequency").optional()
                                .allowed("h", "D", "W", "M", "Q", "Y").build(),
                        InputSpec.literal("coordinates", "string").title("Coordinate columns").optional().repeat(2)
                                .describe("x,y columns (default: longitude,latitude or x,y)").build(),
                        InputSpec.literal("crs", "string").title("CRS of the coordinates").optional()
                                .describe("Default EPSG:4326 for longitude/latitude (distances in km)").build(),
                        InputSpec.literal("places", "string").title("Which hybrid").optional().defaultValue("observed")
                                .allowed("observed", "new")
                                .describe("For a model with time that has two hybrids: the fitted residual variogram"
                                        + " of the one for the training's places (observed) or of the one for places"
                                        + " never observed, such as maps (new)").build()),
                List.of(OutputSpec.complex("result", "Semivariograms", "JSON document, or CSV with one row per bin/lag;"
                        + " with a model fitted with residual kriging also its fitted space-time residual variogram"
                        + " ('residualModel' in JSON, and 'newPlacesResidualModel' for the hybrid at new places; as CSV"
                        + " and as a PNG plot when no data are given)",
                        Formats.JSON, Formats.CSV, Formats.PNG)));
    }

    @Override
    public ProcessSpec spec() {
        return spec;
    }

    @Override
    public void validate(ProcessInputs in, ModelStore models) {
        BayesNFModel model = null;
        if (in.has("model")) {
            model = ModelInput.load(in, models);
        } else if (!in.has("target")) {
            throw ProcessException.missing("target", "give 'target' (or a 'model')");
        }
        if (!in.has("data") && (model == null || model.residualKriging().isEmpty())) {
            throw ProcessException.missing("data", "give 'data' (observations), or a 'model' fitted with residual"
                    + " kriging to get its fitted residual variogram");
        }
        if (newPlaces(in) && (model == null || model.newPlaces().isEmpty())) {
            throw ProcessException.invalid("places", "'new' needs a 'model' with a hybrid for new places (a model"
                    + " with time cross-validated by station periods); this one has one hybrid for every place");
        }
    }

    private record Columns(String target, String time, Frequency freq, String x, String y, boolean geographic) {}

    @Override
    public Map<String, OutputValue> execute(ProcessInputs in, ProcessContext ctx) throws Exception {
        BayesNFModel model = in.has("model") ? ModelInput.load(in, ctx.models()) : null;
        Format format = spec.output("result").orElseThrow().format(ctx.requestedFormat("result"));
        if (!in.has("data") || format == Formats.PNG) {
            return residualModelOnly(model, newPlaces(in), format, ctx);
        }
        DataTable table = DataDocuments.table("data", in.document("data").orElseThrow(), config.maxRows());
        Columns c = columns(in, model, table);
        double[] z;
        double[] x;
        double[] y;
        double[] t;
        try {
            z = table.numeric(c.target(), true);
            x = table.numeric(c.x(), false);
            y = table.numeric(c.y(), false);
            t = c.time() == null ? new double[table.rows()] : times(table, c);
        } catch (DataException e) {
            throw ProcessException.invalid("data", e.getMessage());
        }
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("target", c.target());
        root.put("distanceUnit", c.geographic() ? "km" : "CRS unit");
        root.put("timeUnit", c.freq() == null ? (c.time() == null ? "none" : "time unit") : c.freq().alias());
        ctx.progress(10, "observations");
        root.set("observations", variograms(m, z, x, y, t, c));
        if (model != null) {
            ctx.progress(50, "residuals");
            dev.bayesnf.core.Prediction p;
            try {
                p = new BayesNFPredictor(Backends.select(Backends.configuredRequest()), 0).predict(model, table, new double[] {0.5});
            } catch (DataException e) {
                throw ProcessException.invalid("data", e.getMessage());
            }
            // residuals on the scale the model and its kriging work on: g(y) - g(median) for a
            // transformed target (log, log1p, sqrt), whose fitted variogram is in those units too
            dev.bayesnf.core.TargetScaling ts = model.spec().targetScaling();
            double[] r = new double[z.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = ts.transforms() ? ts.forward(z[i]) - ts.forward(p.quantiles()[0][i]) : z[i] - p.mean()[i];
            }
            root.set("residuals", variograms(m, r, x, y, t, c));
            if (model.residualKriging().isPresent()) {
                root.set("residualModel", m.readTree(ResidualVariogram.json(model, model.residualKriging().get())));
            }
            if (model.newPlaces().isPresent()) {
                root.set("newPlacesResidualModel", m.readTree(ResidualVariogram.json(model,
                        model.newPlaces().get().kriging())));
            }
        }
        Path file = ctx.resultDir().resolve("variogram." + format.extension());
        if (format == Formats.CSV) {
            StringBuilder b = new StringBuilder("series,kind,lag,pairs,semivariance\n");
            for (String series : List.of("observations", "residuals")) {
                if (!root.has(series)) {
                    continue;
                }
                for (String kind : List.of("spatial", "temporal")) {
                    for (var row : root.get(series).path(kind)) {
                        b.append(series).append(',').append(kind).append(',').append(row.get("lag").asDouble()).append(',')
                                .append(row.get("pairs").asLong()).append(',').append(row.get("semivariance").asDouble())
                                .append('\n');
                    }
                }
            }
            Files.writeString(file, b.toString());
        } else {
            Files.writeString(file, m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        }
        return Map.of("result", new OutputValue.Document(file, format));
    }

    /** The fitted residual variogram of a model with residual kriging, as JSON, CSV or PNG. */
    private static Map<String, OutputValue> residualModelOnly(BayesNFModel model, boolean newPlaces, Format format,
            ProcessContext ctx) throws Exception {
        if (model == null || model.residualKriging().isEmpty()) {
            throw ProcessException.invalid("model", format == Formats.PNG
                    ? "the PNG output plots the fitted residual variogram of a model fitted with residual kriging;"
                            + " give such a 'model'"
                    : "without 'data', give a 'model' fitted with residual kriging");
        }
        var rk = newPlaces ? model.newPlaces().orElseThrow().kriging() : model.residualKriging().get();
        Path file = ctx.resultDir().resolve("variogram." + format.extension());
        if (format == Formats.PNG) {
            Files.write(file, ResidualVariogram.png(model, rk, 720, 480));
        } else if (format == Formats.CSV) {
            Files.writeString(file, ResidualVariogram.csv(model, rk));
        } else {
            Files.writeString(file, ResidualVariogram.json(model, rk));
        }
        return Map.of("result", new OutputValue.Document(file, format));
    }

    /** Whether the 'places' input asks for the hybrid at new places. */
    private static boolean newPlaces(ProcessInputs in) {
        return in.optionalText("places").map(v -> v.equals("new")).orElse(false);
    }

    private static double[] times(DataTable table, Columns c) {
        ModelSpec s = new ModelSpec(c.target(), c.time(), c.freq(), List.of(c.x(), c.y()), List.of(), List.of(), List.of(),
                List.of(), List.of(), 1, 1, dev.bayesnf.core.ObservationModel.NORMAL);
        return TrainingStatistics.rawTime(s, table);
    }

    private static Columns columns(ProcessInputs in, BayesNFModel model, DataTable table) {
        String target = in.optionalText("target").orElse(model == null ? null : model.spec().target());
        String time = in.optionalText("time").orElse(model == null ? null : model.spec().time());
        Frequency freq;
        try {
            freq = in.optionalText("freq").map(Frequency::parse).orElse(model == null ? null : model.spec().freq());
        } catch (IllegalArgumentException e) {
            throw ProcessException.invalid("freq", e.getMessage());
        }
        List<String> coords = in.list("coordinates");
        String x = null;
        String y = null;
        String crs = in.optionalText("crs").orElse(null);
        if (coords.size() == 2) {
            x = coords.get(0);
            y = coords.get(1);
        } else if (model != null && model.georeference().isPresent()) {
            x = model.georeference().get().x();
            y = model.georeference().get().y();
            crs = crs == null ? model.georeference().get().crs() : crs;
        } else {
            List<String> found = DataDocuments.coordinateColumns(table).orElse(null);
            if (found != null) {
                x = found.get(0);
                y = found.get(1);
            }
        }
        if (x == null) {
            throw ProcessException.missing("coordinates", "no coordinate columns: name them with 'coordinates' (x,y)");
        }
        if (target == null) {
            throw ProcessException.missing("target", "give 'target' (or a 'model')");
        }
        for (String col : new String[] {target, x, y, time}) {
            if (col != null && !table.has(col)) {
                throw ProcessException.invalid("data", "the data has no column '" + col + "' (columns: "
                        + String.join(", ", table.columnNames()) + ")");
            }
        }
        String lx = x.toLowerCase(Locale.ROOT);
        boolean geographic = crs == null ? (lx.startsWith("lon") || lx.equals("lng"))
                : crs.equalsIgnoreCase("EPSG:4326") || crs.toUpperCase(Locale.ROOT).contains("CRS84")
                        || crs.equalsIgnoreCase("CRS:84");
        return new Columns(target, time, freq, x, y, geographic);
    }

    private static ObjectNode variograms(ObjectMapper m, double[] z, double[] x, double[] y, double[] t, Columns c) {
        ObjectNode out = m.createObjectNode();
        // group rows by time
        Map<Double, List<Integer>> byTime = new LinkedHashMap<>();
        for (int i = 0; i < z.length; i++) {
            if (!Double.isNaN(z[i])) {
                byTime.computeIfAbsent(t[i], k -> new ArrayList<>()).add(i);
            }
        }
        List<List<Integer>> groups = new ArrayList<>(byTime.values());
        // shuffle groups (seeded) so a pair budget samples time steps evenly
        SplittableRandom rnd = new SplittableRandom(0);
        for (int i = groups.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            List<Integer> g = groups.get(i);
            groups.set(i, groups.get(j));
            groups.set(j, g);
        }
        // largest distance from a sample of pairs of the first groups
        double maxD = 0;
        long budget = PAIR_BUDGET;
        List<List<Integer>> used = new ArrayList<>();
        for (List<Integer> g : groups) {
            long pairs = (long) g.size() * (g.size() - 1) / 2;
            if (pairs > budget && !used.isEmpty()) {
                break;
            }
            budget -= pairs;
            used.add(g);
        }
        for (List<Integer> g : used) {
            for (int a = 0; a < g.size(); a++) {
                for (int b = a + 1; b < g.size(); b++) {
                    maxD = Math.max(maxD, dist(x, y, g.get(a), g.get(b), c.geographic()));
                }
            }
        }
        ArrayNode spatial = out.putArray("spatial");
        if (maxD > 0) {
            double width = maxD / 2 / BINS;
            double[] sum = new double[BINS];
            long[] n = new long[BINS];
            double[] hs = new double[BINS];
            for (List<Integer> g : used) {
                for (int a = 0; a < g.size(); a++) {
                    for (int b = a + 1; b < g.size(); b++) {
                        int i = g.get(a);
                        int j = g.get(b);
                        double d = dist(x, y, i, j, c.geographic());
                        int k = (int) (d / width);
                        if (k >= BINS) {
                            continue;
                        }
                        double dz = z[i] - z[j];
                        sum[k] += dz * dz / 2;
                        hs[k] += d;
                        n[k]++;
                    }
                }
            }
            for (int k = 0; k < BINS; k++) {
                if (n[k] > 0) {
                    spatial.addObject().put("lag", hs[k] / n[k]).put("pairs", n[k]).put("semivariance", sum[k] / n[k]);
                }
            }
        }
        out.put("timeStepsUsed", used.size());
        out.put("timeSteps", groups.size());
        ArrayNode temporal = out.putArray("temporal");
        if (c.time() != null) {
            Map<String, Map<Double, Double>> byPlace = new HashMap<>();
            for (int i = 0; i < z.length; i++) {
                if (!Double.isNaN(z[i])) {
                    byPlace.computeIfAbsent(x[i] + "," + y[i], k -> new HashMap<>()).put(t[i], z[i]);
                }
            }
            double[] sum = new double[MAX_LAG + 1];
            long[] n = new long[MAX_LAG + 1];
            for (Map<Double, Double> series : byPlace.values()) {
                for (Map.Entry<Double, Double> e : series.entrySet()) {
                    for (int k = 1; k <= MAX_LAG; k++) {
                        Double v = series.get(e.getKey() + k);
                        if (v != null) {
                            double dz = e.getValue() - v;
                            sum[k] += dz * dz / 2;
                            n[k]++;
                        }
                    }
                }
            }
            for (int k = 1; k <= MAX_LAG; k++) {
                if (n[k] > 0) {
                    temporal.addObject().put("lag", k).put("pairs", n[k]).put("semivariance", sum[k] / n[k]);
                }
            }
        }
        return out;
    }

    private static double dist(double[] x, double[] y, int i, int j, boolean geographic) {
        if (!geographic) {
            return Math.hypot(x[i] - x[j], y[i] - y[j]);
        }
        double p1 = Math.toRadians(y[i]);
        double p2 = Math.toRadians(y[j]);
        double dp = p2 - p1;
        double dl = Math.toRadians(x[j] - x[i]);
        double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
