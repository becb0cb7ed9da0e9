package dev.bayesnf.service.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.HybridTrainer;
import dev.bayesnf.core.DataException;
import dev.bayesnf.core.SettingException;
import dev.bayesnf.core.TrainingStatistics;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.Estimator;
import dev.bayesnf.core.FitDefaults;
import dev.bayesnf.core.FitEstimate;
import dev.bayesnf.core.Frequency;
import dev.bayesnf.core.Georeference;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.core.ModelSpec;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.TargetScaling;
import dev.bayesnf.core.TrainConfig;
import dev.bayesnf.core.TrainingListener;
import dev.bayesnf.core.compute.Backends;
import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.service.formats.ObservationTable;
import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.service.geo.UnknownCrsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bayesnf:Fit}: fits a BayesNF model on observations and stores it in the model registry.
 * Inputs mirror {@code bayesnf fit}; outputs are the stored model's id, the model file and a JSON
 * report (losses, timings, device, provenance).
 */
public final class FitProcess implements BayesProcess {
    public static final String ID = "bayesnf:Fit";
    /** How the inputs that the rule fills in describe their default. */
    static final String SCALED = "default: scaled to the data and the device (docs/MODEL.md, \"Defaults scaled to the"
            + " data\"";

    private final ProcessLimits config;
    private final ProcessSpec spec;

    public FitProcess(ProcessLimits config) {
        this.config = config;
        this.spec = new ProcessSpec(ID, "Fit a Bayesian neural field",
                "Fits a BayesNF model (Saad et al. 2024) on point observations that vary in space and time and"
                        + " stores it; Forecast, Interpolate and Predict then use it by its id.",
                "1.0.0",
                List.of(
                        InputSpec.complex("data", DataDocuments.observationFormats())
                                .title("Observations").describe("CSV with a header (any delimiter, decimal point or"
                                        + " comma, detected), GeoJSON points whose properties are columns (coordinates"
                                        + " become longitude, latitude, or x, y in the CRS its crs member names), a"
                                        + " GeoPackage point layer or a zipped point shapefile (CRS from the file);"
                                        + " at most " + config.maxRows() + " rows").build(),
                        InputSpec.literal("target", "string").title("Target column")
                                .describe("Column to model; rows where it is empty are not used for training").build(),
                        InputSpec.literal("time", "string").title("Time column").optional()
                                .describe("Column with the time of each observation; omit for purely spatial data").build(),
                        InputSpec.literal("freq", "string").title("Time frequency").optional()
                                .allowed("h", "D", "W", "M", "Q", "Y")
                                .describe("Calendar frequency of the time column; omit when time is a number").build(),
                        InputSpec.literal("features", "string").title("Feature columns").optional().repeat(64)
                                .describe("Spatial (and other) covariate columns, comma-separated; default: the"
                                        + " coordinate columns (longitude, latitude or x, y)").build(),
                        InputSpec.literal("standardize", "string").title("Columns to standardize").optional().repeat(64)
                                .describe("Columns z-scored with the training mean and standard deviation").build(),
                        InputSpec.literal("seasonality", "string").title("Seasonal periods").optional().repeat(16)
                                .describe("Periods in time steps, or h, D, W, M, Q, Y; comma-separated").build(),
                        InputSpec.literal("harmonics", "string").title("Harmonics per period").optional().repeat(16)
                                .describe("One count per seasonal period, each at most half the period").build(),
                        InputSpec.literal("fourierDegrees", "string").title("Fourier degrees").optional().repeat(64)
                                .describe("Fourier degree per column, time first then each feature (default 5 each,"
                                        + " but 0 for the coordinate columns of a model without time, whose per-axis"
                                        + " Fourier features paint stripes into maps; 0 disables)")
                                .build(),
                        InputSpec.literal("interactions", "string").title("Interactions").optional().repeat(64)
                                .describe("Column pairs A:B whose product is a feature, comma-separated").build(),
                        InputSpec.literal("coordinates", "string").title("Coordinate columns").optional().repeat(2)
                                .describe("x,y feature columns for raster products (default: detected by name)").build(),
                        InputSpec.literal("crs", "string").title("CRS of the coordinates").optional()
                                .describe("e.g. EPSG:32629; default EPSG:4326 for longitude/latitude columns").build(),
                        InputSpec.literal("estimator", "string").title("Inference").defaultValue("map")
                                .allowed("map", "mle", "vi").build(),
                        InputSpec.literal("ensemble", "integer").title("Particles").optional().range(1, 1024)
                                .describe("Total number of particles (MAP/MLE) or surrogates (VI); " + SCALED
                                        + ": 16 on CPUs, 64 on a GPU)").build(),
                        InputSpec.literal("epochs", "integer").title("Epochs").optional().range(1, 1_000_000)
                                .describe("Training epochs, each of floor(rows/batch) steps; ensemble x epochs at most "
                                        + config.maxEnsembleEpochs() + "; " + SCALED + ": about 2000 steps, between 10"
                                        + " and 2000 epochs)").build(),
                        InputSpec.literal("batch", "string").title("Batch size").optional()
                                .describe("Rows per step, or full; " + SCALED + ": full up to 4096 rows, else the rows"
                                        + " split evenly into batches of at most 4096)").build(),
                        InputSpec.literal("width", "integer").title("Hidden units").optional().range(1, 2048)
                                .describe("Hidden units per layer; " + SCALED + ": 64 below 2,000 rows, else 128; 256"
                                        + " above 50,000 rows on a GPU)").build(),
                        InputSpec.literal("depth", "integer").title("Hidden layers").optional().range(1, 8)
                                .describe("Hidden layers; " + SCALED + ": " + FitDefaults.DEPTH + ")").build(),
                        InputSpec.literal("lr", "double").title("Learning rate").optional().range(1e-9, 10)
                                .describe("Adam learning rate (default 0.005 for MAP/MLE, 0.01 for VI)").build(),
                        InputSpec.literal("seed", "integer").title("Random seed").defaultValue("0").build(),
                        InputSpec.literal("likelihood", "string").title("Observation model").defaultValue("normal")
                                .allowed("normal", "nb", "zinb").build(),
                        InputSpec.literal("targetScaling", "string").title("Target scaling").optional()
                                .allowed("standard", "none", "log", "log1p", "sqrt", "auto")
                                .describe("standard: z-score the target with the training mean and standard deviation"
                                        + " for training and map predictions back (default for the normal likelihood"
                                        + " without residual kriging);"
                                        + " log, log1p: log(y) or log(1+y) first, for positive skewed quantities (intervals"
                                        + " stay positive; quantiles back exactly, the mean as the log-normal's);"
                                        + " sqrt: the square root first, for counts and speeds that may be 0 (quantiles"
                                        + " back exactly, never below 0); auto: with residual kriging, standard, sqrt"
                                        + " (a target never below 0) or log (always above 0), whichever kriging alone"
                                        + " cross-validates best by CRPS in the target's units (the default with"
                                        + " residual kriging);"
                                        + " none: the target as it is (the reference's behaviour; the only choice for"
                                        + " nb and zinb)").build(),
                        ResidualKrigingInput.fitSpec(),
                        InputSpec.literal("cvFolds", "integer").title("Cross-validation folds").defaultValue("5")
                                .range(0, 20).describe("Location-wise cross-validation folds of residual kriging"
                                        + " (0: the trend as configured, in-sample residuals kriged uncalibrated)")
                                .build(),
                        InputSpec.literal("cvRule", "string").title("Cross-validation rule").defaultValue("one-se")
                                .allowed("one-se", "min")
                                .describe("How residual kriging's cross-validation chooses the trend's epochs and the"
                                        + " kriging type: one-se, the simplest candidate within one standard error of"
                                        + " the lowest error; min, the lowest error").build()),
                List.of(
                        OutputSpec.literal("model", "Model id", "Id of the stored model, for Forecast, Interpolate and Predict", "string"),
                        OutputSpec.complex("modelFile", "Model file", "The fitted model as a .bnf file", Formats.MODEL, Formats.ZIP),
                        OutputSpec.complex("report", "Fit report", "Losses, timings, device and provenance", Formats.JSON)));
    }

    @Override
    public ProcessSpec spec() {
        return spec;
    }

    @Override
    public void validate(ProcessInputs in, ModelStore models) {
        if (in.has("ensemble") && in.has("epochs")) {
            checkWork(in.integer("ensemble"), in.integer("epochs"));
        }
        modelSpec(in, null);
        trainConfig(in);
        given(in);
    }

    /** Refuses ensemble x epochs above this service's limit (given, or the rule's once the data are read). */
    private void checkWork(int ensemble, int epochs) {
        long work = (long) ensemble * epochs;
        if (work > config.maxEnsembleEpochs()) {
            throw ProcessException.invalid("epochs", "ensemble x epochs = " + work + " exceeds this service's limit of "
                    + config.maxEnsembleEpochs());
        }
    }

    /** The settings the request gives; the rule ({@link FitDefaults}) chooses the others. */
    static FitDefaults.Given given(ProcessInputs in) {
        return new FitDefaults.Given(in.has("width") ? in.integer("width") : null,
                in.has("depth") ? in.integer("depth") : null, in.has("ensemble") ? in.integer("ensemble") : null,
                in.has("batch") ? batch(in) : null, in.has("epochs") ? in.integer("epochs") : null);
    }

    static ModelSpec modelSpec(ProcessInputs in, DataTable table) {
        List<String> features = in.list("features");
        if (features.isEmpty()) {
            if (table == null) {
                return null;
            }
            features = DataDocuments.coordinateColumns(table).orElseThrow(() -> ProcessException.missing("features",
                    "no 'features' given and no longitude/latitude or x/y columns in the data"));
        }
        try {
            String freq = in.text("freq");
            ObservationModel lik = ObservationModel.parse(in.text("likelihood"));
            TargetScaling scaling = in.optionalText("targetScaling").filter(v -> !autoScaling(in))
                    .map(TargetScaling::parse).orElse(TargetScaling.defaultFor(lik));
            if (lik.isCount() && autoScaling(in)) {
                throw ProcessException.invalid("targetScaling", "input 'targetScaling' must be 'none' with the "
                        + in.text("likelihood") + " likelihood, which models counts as they are");
            }
            if (lik.isCount() && scaling != TargetScaling.NONE) {
                throw ProcessException.invalid("targetScaling", "input 'targetScaling' must be 'none' with the "
                        + in.text("likelihood") + " likelihood, which models counts as they are");
            }
            return new ModelSpec(in.text("target"), in.optionalText("time").orElse(null),
                    freq == null ? null : Frequency.parse(freq), features, in.list("standardize"),
                    in.list("seasonality"), ints("harmonics", in.list("harmonics")),
                    ints("fourierDegrees", in.list("fourierDegrees")), pairs(in.list("interactions")),
                    in.has("width") ? in.integer("width") : FitDefaults.WIDTH_SMALL,
                    in.has("depth") ? in.integer("depth") : FitDefaults.DEPTH, lik, scaling);
        } catch (SettingException e) {
            throw invalid(e);
        } catch (IllegalArgumentException e) {
            throw ProcessException.invalid(null, e.getMessage());
        }
    }

    /** A setting the model refused, as the input of that name. */
    private static ProcessException invalid(SettingException e) {
        String id = e.setting().id();
        return ProcessException.invalid(id, e.messageFor("input '" + id + "'"));
    }

    private static List<List<String>> pairs(List<String> v) {
        List<List<String>> r = new ArrayList<>();
        for (String p : v) {
            String[] ab = p.split(":");
            if (ab.length != 2 || ab[0].isBlank() || ab[1].isBlank()) {
                throw ProcessException.invalid("interactions", "input 'interactions' takes COLUMN:COLUMN pairs, got '" + p + "'");
            }
            r.add(List.of(ab[0].trim(), ab[1].trim()));
        }
        return r;
    }

    /** Whether the request asks for the target's scale chosen by the data ('auto'). */
    private static boolean autoScaling(ProcessInputs in) {
        return in.optionalText("targetScaling").map(v -> v.trim().equalsIgnoreCase("auto")).orElse(false);
    }

    private static List<Integer> ints(String id, List<String> v) {
        List<Integer> r = new ArrayList<>();
        for (String s : v) {
            try {
                r.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw ProcessException.invalid(id, "input '" + id + "': '" + s + "' is not an integer");
            }
        }
        return r;
    }

    /**
     * The training settings as given; ensemble, epochs and batch not given stand in as the rule's
     * for small data until {@link #execute} knows the rows.
     */
    static TrainConfig trainConfig(ProcessInputs in) {
        try {
            Estimator est = Estimator.parse(in.text("estimator"));
            double lr = in.has("lr") ? in.number("lr") : est.defaultLearningRate();
            TrainConfig d = TrainConfig.defaults(est);
            return new TrainConfig(est, in.has("ensemble") ? in.integer("ensemble") : FitDefaults.ENSEMBLE_CPU,
                    in.has("epochs") ? in.integer("epochs") : FitDefaults.MAX_EPOCHS, in.has("batch") ? batch(in) : 0,
                    lr, Long.parseLong(in.text("seed")), d.klWeight(), d.mcSamples(), d.posteriorSamples(), 0);
        } catch (IllegalArgumentException e) {
            throw ProcessException.invalid(null, e.getMessage());
        }
    }

    /** Input 'batch': rows per step, 0 for full. */
    private static int batch(ProcessInputs in) {
        String b = in.text("batch");
        if (b.equalsIgnoreCase("full")) {
            return 0;
        }
        int batch;
        try {
            batch = Integer.parseInt(b);
        } catch (NumberFormatException e) {
            throw ProcessException.invalid("batch", "input 'batch': '" + b + "' is not a number or 'full'");
        }
        if (batch <= 0) {
            throw ProcessException.invalid("batch", "input 'batch' must be positive or 'full'");
        }
        return batch;
    }

    @Override
    public Map<String, OutputValue> execute(ProcessInputs in, ProcessContext ctx) throws Exception {
        ObservationTable observations = DataDocuments.observations("data", in.document("data").orElseThrow(),
                config.maxRows());
        DataTable table = observations.table();
        ModelSpec mspec = modelSpec(in, table);
        TrainConfig tc = trainConfig(in);
        ComputeBackend backend = Backends.select(Backends.configuredRequest());
        String device = "training on " + backend.id() + " (" + backend.device() + ")";
        ctx.progress(0, device);
        long t0 = System.nanoTime();
        BayesNFModel model;
        try {
            int[] rows = TrainingStatistics.observedRows(mspec, table);
            FitDefaults.Choice choice = FitDefaults.resolve(given(in), rows.length, mspec.features().size(),
                    mspec.time() != null, tc.estimator(), FitDefaults.Device.of(backend));
            checkWork(choice.ensemble(), choice.epochs());
            mspec = mspec.withNetwork(choice.width(), choice.depth());
            tc = choice.apply(tc);
            Georeference geo = Georeference.of(mspec, table, rows,
                    in.list("coordinates"), in.optionalText("crs").orElse(observations.crs().orElse(null))).orElse(null);
            if (geo != null) {
                Crs.checkExtent(geo.crs(), geo.x() + ", " + geo.y(), geo.minX(), geo.minY(), geo.maxX(), geo.maxY());
            } else if (in.has("crs")) {
                throw ProcessException.invalid("crs", "'crs' given but no coordinate columns found among the features "
                        + mspec.features() + "; name them with 'coordinates'");
            }
            if (geo != null) {
                mspec = mspec.withCoordinateFourierDefault(geo.x(), geo.y());
                if (!geo.hasCrs()) {
                    ctx.progress(0, Crs.localCoordinatesNote(geo, "'crs'"));
                }
            }
            boolean krige = ResidualKrigingInput.enabled(in, geo != null && !mspec.likelihood().isCount());
            if (krige && geo == null) {
                throw ProcessException.invalid(ResidualKrigingInput.ID, "residual kriging needs the coordinate columns:"
                        + " name them with 'coordinates'");
            }
            if (krige && mspec.likelihood().isCount()) {
                throw ProcessException.invalid(ResidualKrigingInput.ID, "residual kriging applies to the normal"
                        + " likelihood, not to " + in.text("likelihood") + " (counts)");
            }
            if (autoScaling(in) && !krige) {
                throw ProcessException.invalid("targetScaling", "input 'targetScaling' 'auto' chooses the scale by"
                        + " cross-validating residual kriging, which this fit has not: give standard, none, log, log1p"
                        + " or sqrt");
            }
            HybridTrainer.Options opts = krige ? HybridTrainer.Options.defaults().withFolds(in.integer("cvFolds"))
                    .withRule(HybridTrainer.CvRule.parse(in.text("cvRule")))
                    .withChooseScaling(autoScaling(in) || !in.has("targetScaling"))
                    : HybridTrainer.Options.off();
            HybridTrainer trainer = new HybridTrainer(backend, 0);
            FitEstimate estimate = trainer.estimate(table, mspec, tc, geo, opts);
            ctx.progress(0, device + ": " + estimate.summary(rows.length, choice));
            model = trainer.fit(table, mspec, tc, geo, opts, new TrainingListener() {
                @Override
                public void epoch(int epoch, int total, double loss) {
                    ctx.progress(99.0 * epoch / total, String.format(Locale.ROOT, "epoch %d of %d, loss %.4g (fit %s)",
                            epoch, total, loss, estimate.describe()));
                }

                @Override
                public boolean isCancelled() {
                    return ctx.isCancelled();
                }
            });
            model = FitDefaults.recorded(model, choice, estimate);
        } catch (SettingException e) {
            throw invalid(e);
        } catch (DataException e) {
            throw ProcessException.invalid("data", e.getMessage());
        } catch (UnknownCrsException e) {
            throw ProcessException.invalid("crs", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ProcessException.invalid(null, e.getMessage());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String id = ctx.models().add(model, ctx.jobId(), "BayesNF model of " + mspec.target());
        Path modelFile = ctx.resultDir().resolve("model.bnf");
        ModelFile.save(model, modelFile);
        Path report = ctx.resultDir().resolve("report.json");
        Files.writeString(report, report(id, model, seconds));
        Map<String, OutputValue> out = new LinkedHashMap<>();
        out.put("model", new OutputValue.Literal(id));
        out.put("modelFile", new OutputValue.Document(modelFile, Formats.MODEL));
        out.put("report", new OutputValue.Document(report, Formats.JSON));
        return out;
    }

    static String report(String id, BayesNFModel model, double seconds) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode r = m.createObjectNode();
        r.put("model", id);
        r.put("target", model.spec().target());
        r.put("estimator", model.config().estimator().name());
        r.put("ensemble", model.config().ensemble());
        r.put("epochs", model.config().epochs());
        r.put("components", model.componentCount());
        r.put("seconds", seconds);
        model.georeference().ifPresent(g -> {
            ObjectNode geo = r.putObject("georeference");
            geo.put("x", g.x());
            geo.put("y", g.y());
            geo.put("crs", g.crs());
            ArrayNode e = geo.putArray("extent");
            e.add(g.minX()).add(g.minY()).add(g.maxX()).add(g.maxY());
        });
        ObjectNode prov = r.putObject("provenance");
        model.provenance().forEach(prov::put);
        float[][] losses = model.losses();
        ArrayNode fin = r.putArray("finalLosses");
        for (float[] l : losses) {
            fin.add(l.length == 0 ? Double.NaN : l[l.length - 1]);
        }
        ArrayNode trace = r.putArray("meanLossTrace");
        int n = losses.length == 0 ? 0 : losses[0].length;
        int step = Math.max(1, n / 200);
        for (int e = 0; e < n; e += step) {
            double s = 0;
            for (float[] l : losses) {
                s += l[e];
            }
            ObjectNode p = trace.addObject();
            p.put("epoch", e + 1);
            p.put("loss", s / losses.length);
        }
        return m.writerWithDefaultPrettyPrinter().writeValueAsString(r);
    }
}
