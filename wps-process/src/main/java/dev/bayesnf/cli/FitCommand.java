package dev.bayesnf.cli;

import dev.bayesnf.service.formats.ObservationTable;
import dev.bayesnf.service.formats.TableEdits;
import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.HybridTrainer;
import dev.bayesnf.core.kriging.Marginal;
import dev.bayesnf.core.TrainingStatistics;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.Georeference;
import dev.bayesnf.core.Estimator;
import dev.bayesnf.core.FitDefaults;
import dev.bayesnf.core.FitEstimate;
import dev.bayesnf.core.Frequency;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.core.ModelSpec;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.TargetScaling;
import dev.bayesnf.core.TrainConfig;
import dev.bayesnf.core.compute.Backends;
import dev.bayesnf.core.compute.ComputeBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bayesnf fit}: trains a model on a CSV file and writes a model file. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fit a BayesNF model to observations in a CSV file and save it.")
final class FitCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "TRAIN.csv", description = "Training observations: CSV with a header line (delimiter, decimal comma and encoding detected), GeoJSON points, a GeoPackage point layer or a point shapefile (.shp, or zipped); a file's own CRS is the default of --crs.")
    Path data;

    @Mixin
    InputOptions input = new InputOptions();

    @Option(names = "--drop-missing", description = "Leave out rows with a missing value (empty, NA, NaN) in a feature or the time column, and say how many; without it such a row is an error naming its line and column.")
    boolean dropMissing;

    @Option(names = "--target", required = true, paramLabel = "COL", description = "Column to predict. Empty cells, NA and NaN are missing: those rows are not used for training.")
    String target;

    @Option(names = "--time", paramLabel = "COL", description = "Time column. Omit for purely spatial data.")
    String time;

    @Option(names = "--freq", paramLabel = "h|D|W|M|Q|Y", description = "Calendar frequency of the time column (W = weeks ending Sunday). Without it the time column is numeric.")
    String freq;

    @Option(names = "--features", split = ",", paramLabel = "COL", description = "Spatial and covariate columns, e.g. latitude,longitude.")
    List<String> features = new ArrayList<>();

    @Option(names = "--standardize", split = ",", paramLabel = "COL", description = "Feature columns to z-score with training statistics (recommended for coordinates).")
    List<String> standardize = new ArrayList<>();

    @Option(names = "--seasonality", split = ",", paramLabel = "P", description = "Seasonal periods in time steps, or calendar aliases h, D, W, M, Q, Y converted to steps of --freq (M in weeks = 4.354).")
    List<String> seasonality = new ArrayList<>();

    @Option(names = "--harmonics", split = ",", paramLabel = "H", description = "Harmonics per seasonal period (each at most half its period; default 1 each; always 1 for numeric time).")
    List<Integer> harmonics = new ArrayList<>();

    @Option(names = "--fourier-degrees", split = ",", paramLabel = "K", description = "Fourier degree per column, time first (default 5 each, but 0 for the coordinate columns of a model without time; 0 disables; give 5 for every column to reproduce the reference).")
    List<Integer> fourierDegrees = new ArrayList<>();

    @Option(names = "--interactions", split = ",", paramLabel = "A:B", description = "Products of scaled inputs, named by column, e.g. datetime:latitude.")
    List<String> interactions = new ArrayList<>();

    @Option(names = "--width", paramLabel = "W", description = "Hidden units per layer (default: scaled to the data, docs/MODEL.md: 64 below 2,000 rows, else 128; 256 above 50,000 rows on a GPU).")
    Integer width;

    @Option(names = "--depth", paramLabel = "L", description = "Hidden layers (default: scaled to the data, docs/MODEL.md: 2).")
    Integer depth;

    @Option(names = "--estimator", defaultValue = "map", paramLabel = "map|mle|vi", description = "Inference: MAP ensemble, MLE ensemble or variational inference (default ${DEFAULT-VALUE}).")
    String estimator;

    @Option(names = "--ensemble", paramLabel = "K", description = "Total number of particles (MAP/MLE) or surrogates (VI) (default: scaled to the device, docs/MODEL.md: 16 on CPUs, 64 on a GPU).")
    Integer ensemble;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs, each of floor(rows/batch) steps (default: scaled to the data, docs/MODEL.md: about 2000 steps, between 10 and 2000 epochs).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N|full", description = "Rows per step (default: scaled to the data, docs/MODEL.md: full up to 4096 rows, else the rows split evenly into batches of at most 4096).")
    String batch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate (default 0.005 for MAP/MLE, 0.01 for VI).")
    Double lr;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--likelihood", defaultValue = "normal", paramLabel = "normal|nb|zinb", description = "Observation model (default ${DEFAULT-VALUE}).")
    String likelihood;

    @Option(names = "--target-scaling", paramLabel = "standard|none|log|log1p|sqrt|auto", description = "Transform of the target for training, undone for predictions: auto (standard, sqrt for a target never below 0 or log for one above 0, whichever kriging alone cross-validates best by CRPS in the target's units; the default with residual kriging), standard (z-score with the training mean and standard deviation; the default for the normal likelihood without residual kriging), log or log1p (log(y) or log(1+y), then z-scored: for positive, skewed quantities, whose intervals then stay positive; quantiles back exactly, the mean as the log-normal's), sqrt (the square root, then z-scored: for counts and speeds that are never negative and may be 0; quantiles back exactly and never below 0) or none (the reference's behaviour; the only choice for nb and zinb).")
    String targetScaling;

    private boolean autoScaling() {
        return targetScaling != null && targetScaling.trim().equalsIgnoreCase("auto");
    }

    @Option(names = "--residual-kriging", paramLabel = "yes|no", description = "Krige the model's residuals in space and time on top of the neural field (default: yes when the model has coordinate columns and the normal likelihood). The trend's epochs (up to --epochs) and the kriging's calibration are chosen by location-wise cross-validation.")
    String residualKriging;

    @Option(names = "--cv-folds", defaultValue = "5", paramLabel = "K", description = "Location-wise cross-validation folds for residual kriging (default ${DEFAULT-VALUE}; 0 fits as configured and kriges uncalibrated in-sample residuals).")
    int cvFolds;

    @Option(names = "--select-epochs", defaultValue = "yes", paramLabel = "yes|no", description = "With residual kriging: choose the trend's epochs (E/16 ... E of --epochs) by the cross-validated error of the hybrid (default ${DEFAULT-VALUE}); no trains --epochs and uses the cross-validation for the calibration only.")
    String selectEpochs;

    @Option(names = "--cv-rule", defaultValue = "one-se", paramLabel = "one-se|min", description = "With residual kriging: how the cross-validation chooses the trend's epochs and the kriging type (ordinary or simple; ordinary is offered where the cross-validation holds out whole places: data without time, and the hybrid at new places): one-se, the simplest candidate whose error is within one standard error of the lowest (default); min, the lowest error.")
    String cvRule;

    @Option(names = "--cv-time-blocks", defaultValue = "5", paramLabel = "B", description = "For data with time: each place's series is cut into B equal time blocks, and the cross-validation folds hold out (place, block) segments (default ${DEFAULT-VALUE}; 1 holds out whole places).")
    int cvTimeBlocks;

    @Option(names = "--cv-new-places", defaultValue = "yes", paramLabel = "yes|no", description = "For data with time cross-validated by (place, time block) segments: cross-validate by whole places too, and keep a second hybrid (trend epochs, calibration, fallback) for predictions at places the training never observed, such as a map between stations (default ${DEFAULT-VALUE}; about doubles the cross-validation's time). Predictions at the training's places use the first.")
    String cvNewPlaces;

    @Option(names = "--quantile-recalibration", defaultValue = "yes", paramLabel = "yes|no", description = "With residual kriging: read the hybrid's quantiles at levels recalibrated by the cross-validation's probability integral transforms, so that skewed or heavy-tailed errors keep their stated coverage (default ${DEFAULT-VALUE}; no: the normal kriging error's levels).")
    String quantileRecalibration;

    @Option(names = "--variogram-marginals", split = ",", defaultValue = "exp", paramLabel = "M", description = "Marginal correlation functions the residual variogram may use: exp, sph, mat32, mat52 or all (default ${DEFAULT-VALUE}: the exponential, whose fit does not claim more smoothness between stations than the data show).")
    List<String> variogramMarginals;

    @Option(names = "--kriging-place-scale", defaultValue = "yes", paramLabel = "yes|no", description = "For data with time: krige standardized anomalies, each place's residuals divided by that place's residual scale (default ${DEFAULT-VALUE}), so that places whose values vary more (coastal stations, large counties) do not set the uncertainty of the others. For the hybrid at new places, whose scale is itself interpolated, the cross-validation by whole places chooses between the scaled and the plain residuals.")
    String krigingPlaceScale;

    @Option(names = "--kriging-neighbours", defaultValue = "32", paramLabel = "N", description = "Observations per kriging neighbourhood (default ${DEFAULT-VALUE}).")
    int krigingNeighbours;

    @Option(names = "--kl-weight", defaultValue = "0.1", description = "VI: weight of the KL term (default ${DEFAULT-VALUE}).")
    double klWeight;

    @Option(names = "--mc-samples", defaultValue = "5", description = "VI: Monte Carlo samples per step (default ${DEFAULT-VALUE}).")
    int mcSamples;

    @Option(names = "--posterior-samples", defaultValue = "30", description = "VI: parameter samples per surrogate for prediction (default ${DEFAULT-VALUE}).")
    int posteriorSamples;

    @Option(names = "--coordinates", split = ",", paramLabel = "X,Y", description = "The feature columns holding the easting/longitude and northing/latitude, for raster products (default: features named longitude/lon/x and latitude/lat/y).")
    List<String> coordinates = new ArrayList<>();

    @Option(names = "--crs", paramLabel = "CODE", description = "CRS of the coordinate columns, e.g. EPSG:32629 (default EPSG:4326 for columns named longitude/latitude).")
    String crs;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|java|...", description = "Compute backend (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (default: all processors).")
    int threads;

    @Option(names = "--output", required = true, paramLabel = "MODEL.bnf", description = "Model file to write.")
    Path output;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        // before any reading or training: a fit that cannot be saved is not started
        checkOutput(output);
        ObservationModel lik = ObservationModel.parse(likelihood);
        // width, depth, ensemble, batch and epochs not given are the rule's, once the rows are known
        // (FitDefaults); until then the rule's values for small data stand in, so that the
        // settings given are checked before the data are read
        FitDefaults.Given given = new FitDefaults.Given(width, depth, ensemble, batch == null ? null : parseBatch(batch),
                epochs);
        ModelSpec spec = new ModelSpec(target, time, freq == null ? null : Frequency.parse(freq), features,
                standardize, seasonality, harmonics, fourierDegrees, parsePairs(interactions),
                width != null ? width : FitDefaults.WIDTH_SMALL, depth != null ? depth : FitDefaults.DEPTH,
                lik, targetScaling == null || autoScaling() ? TargetScaling.defaultFor(lik) : TargetScaling.parse(targetScaling));
        Estimator est = Estimator.parse(estimator);
        TrainConfig config = new TrainConfig(est, ensemble != null ? ensemble : FitDefaults.ENSEMBLE_CPU,
                epochs != null ? epochs : FitDefaults.MAX_EPOCHS, given.batch() != null ? given.batch() : 0,
                lr != null ? lr : est.defaultLearningRate(), seed, klWeight, mcSamples, posteriorSamples, threads);
        ComputeBackend backend = Backends.select(device);
        ObservationTable observations = input.read(data, time);
        Progress progress = Progress.create("fit", quiet);
        DataTable table = usableRows(observations, progress);
        String crs = this.crs != null ? this.crs : observations.crs().orElse(null);
        progress.info("device: " + backend.id() + " (" + backend.device() + ")");
        BayesNFModel model;
        try {
            int[] rows = TrainingStatistics.observedRows(spec, table);
            int observed = rows.length;
            FitDefaults.Choice choice = FitDefaults.resolve(given, observed, spec.features().size(), spec.time() != null, est,
                    FitDefaults.Device.of(backend));
            spec = spec.withNetwork(choice.width(), choice.depth());
            config = choice.apply(config);
            Georeference geo = Georeference.of(spec, table, rows, coordinates, crs).orElse(null);
            if (geo == null && this.crs != null) {
                throw new IllegalArgumentException("--crs given but no coordinate columns found among the features "
                        + spec.features() + "; name them with --coordinates X,Y");
            }
            if (geo != null) {
                Crs.checkExtent(geo.crs(), geo.x() + ", " + geo.y(), geo.minX(), geo.minY(), geo.maxX(), geo.maxY());
                spec = spec.withCoordinateFourierDefault(geo.x(), geo.y());
                if (!geo.hasCrs()) {
                    progress.info(Crs.localCoordinatesNote(geo, "--crs CODE"));
                }
            }
            boolean krige = YesNo.parse("--residual-kriging", residualKriging,
                    geo != null && !spec.likelihood().isCount());
            if (krige && geo == null) {
                throw new IllegalArgumentException("--residual-kriging yes needs the coordinate columns: name them with"
                        + " --coordinates X,Y");
            }
            if (krige && spec.likelihood().isCount()) {
                throw new IllegalArgumentException("--residual-kriging yes applies to the normal likelihood, not to "
                        + likelihood + " (counts)");
            }
            if (autoScaling() && !krige) {
                throw new IllegalArgumentException("--target-scaling auto chooses the scale by cross-validating residual"
                        + " kriging, which this fit has not (" + (spec.likelihood().isCount() ? "counts" : geo == null
                                ? "no coordinate columns" : "--residual-kriging no") + "): give standard, none, log,"
                        + " log1p or sqrt");
            }
            if (cvFolds < 0) {
                throw new IllegalArgumentException("--cv-folds must not be negative, got " + cvFolds);
            }
            HybridTrainer.Options opts = krige ? HybridTrainer.Options.defaults().withFolds(cvFolds)
                    .withTimeBlocks(cvTimeBlocks).withNeighbours(krigingNeighbours)
                    .withMarginals(marginals(variogramMarginals))
                    .withSelectEpochs(YesNo.parse("--select-epochs", selectEpochs, true))
                    .withRule(cvRule(cvRule))
                    .withNewPlaces(YesNo.parse("--cv-new-places", cvNewPlaces, true))
                    .withRecalibrate(YesNo.parse("--quantile-recalibration", quantileRecalibration, true))
                    .withPlaceScale(YesNo.parse("--kriging-place-scale", krigingPlaceScale, true))
                    .withChooseScaling(autoScaling() || targetScaling == null) : HybridTrainer.Options.off();
            HybridTrainer trainer = new HybridTrainer(backend, threads);
            FitEstimate estimate = trainer.estimate(table, spec, config, geo, opts);
            progress.info("fit: " + estimate.summary(observed, choice));
            model = FitDefaults.recorded(trainer.fit(table, spec, config, geo, opts, progress), choice, estimate);
        } finally {
            progress.close();
        }
        ModelFile.save(model, output);
        if (model.provenance().containsKey("target.scaling.choice")) {
            progress.info("target scaling: " + model.spec().targetScaling().id() + ", chosen by "
                    + model.provenance().get("target.scaling.choice"));
        }
        if (model.residualKriging().isPresent()) {
            var p = model.provenance();
            progress.info("residual kriging: " + p.get("kriging.model") + "; calibration " + p.get("kriging.calibration")
                    + (p.containsKey("cv.epochs.chosen") ? "; epochs chosen by " + p.get("cv.folds")
                            + "-fold location-wise cross-validation: " + ("0".equals(p.get("cv.epochs.chosen"))
                                    ? "0, i.e. the training mean as the trend (kriging alone)," : p.get("cv.epochs.chosen"))
                            + " of " + p.get("cv.epochs.candidates") + " (CV RMSE " + p.get("cv.rmse.hybrid") + ", BayesNF alone "
                            + p.get("cv.rmse.bayesnf") + ")" : "; " + p.getOrDefault("cv.note", "")));
            if (model.newPlaces().isPresent()) {
                progress.info("at places never observed: " + p.get("kriging.new.places.model") + "; calibration "
                        + p.get("kriging.new.places.calibration") + "; place scale "
                        + p.get("kriging.new.places.place.scale") + "; epochs chosen by " + p.get("cv.new.places.folds")
                        + "-fold cross-validation by whole places: " + ("0".equals(p.get("cv.new.places.epochs.chosen"))
                                ? "0, i.e. the training mean as the trend (kriging alone)," : p.get("cv.new.places.epochs.chosen"))
                        + " (CV RMSE " + p.get("cv.new.places.rmse.hybrid") + ", BayesNF alone "
                        + p.get("cv.new.places.rmse.bayesnf") + ")");
            }
        } else if (model.provenance().getOrDefault("residual.kriging", "").startsWith("no (")) {
            progress.info("residual kriging: " + model.provenance().get("residual.kriging"));
        }
        progress.info(String.format(Locale.ROOT, "wrote %s (%d components, final loss %s, %s s)",
                output, model.componentCount(), model.provenance().get("final.loss"),
                model.provenance().get("training.seconds")));
        return 0;
    }

    static java.util.Set<Marginal> marginals(List<String> names) {
        java.util.Set<Marginal> m = java.util.EnumSet.noneOf(Marginal.class);
        for (String n : names) {
            if (n.trim().equalsIgnoreCase("all")) {
                m.addAll(java.util.EnumSet.allOf(Marginal.class));
            } else {
                try {
                    m.add(Marginal.parse(n));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--variogram-marginals: '" + n
                            + "' is not one of exp, sph, mat32, mat52, all", e);
                }
            }
        }
        return m;
    }

    static int parseBatch(String b) {
        if (b.equalsIgnoreCase("full")) {
            return 0;
        }
        try {
            int n = Integer.parseInt(b.trim());
            if (n <= 0) {
                throw new IllegalArgumentException("--batch must be positive or 'full', got " + b);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--batch must be a number or 'full', got '" + b + "'", e);
        }
    }

    static List<List<String>> parsePairs(List<String> pairs) {
        List<List<String>> r = new ArrayList<>();
        for (String p : pairs) {
            String[] ab = p.split(":");
            if (ab.length != 2 || ab[0].isBlank() || ab[1].isBlank()) {
                throw new IllegalArgumentException("--interactions takes COLUMN:COLUMN pairs, got '" + p + "'");
            }
            r.add(List.of(ab[0].trim(), ab[1].trim()));
        }
        return r;
    }

    private static HybridTrainer.CvRule cvRule(String text) {
        try {
            return HybridTrainer.CvRule.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cv-rule: " + e.getMessage(), e);
        }
    }

    /**
     * The rows the model can read: rows missing a feature or the time left out with
     * {@code --drop-missing} (else the first is an error naming its line and column), and the
     * rows without a target counted (they are not used for training).
     */
    private DataTable usableRows(ObservationTable observations, Progress progress) {
        if (!observations.description().startsWith("CSV, ',' delimited, decimal point, UTF-8")) {
            progress.info("read " + data.getFileName() + " as " + observations.description());
        }
        List<String> needed = new ArrayList<>(features);
        if (time != null) {
            needed.add(0, time);
        }
        TableEdits.Dropped kept = TableEdits.dropMissing(observations.table(), needed, dropMissing,
                "or pass --drop-missing to leave such rows out");
        if (kept.total() > 0) {
            progress.info(kept.describe());
        }
        DataTable table = kept.table();
        if (table.has(target)) {
            long without = java.util.Arrays.stream(table.text(target)).filter(v -> DataTable.isMissing(v == null ? ""
                    : v.trim())).count();
            if (without > 0) {
                progress.info(without + (without == 1 ? " row has" : " rows have") + " no value of '" + target
                        + "': not used for training");
            }
        }
        return table;
    }

    /**
     * Refuses an output whose folder is missing or not writable, naming it (the model is written
     * to a temporary file beside it, then renamed).
     */
    static void checkOutput(Path output) {
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output " + output + ": folder " + dir + " does not exist");
        }
        if (!java.nio.file.Files.isWritable(dir)) {
            throw new IllegalArgumentException("--output " + output + ": folder " + dir + " is not writable");
        }
    }
}
