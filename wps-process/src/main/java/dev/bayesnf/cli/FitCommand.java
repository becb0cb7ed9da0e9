package dev.bayesnf.cli;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFTrainer;
import dev.bayesnf.core.DataHandler;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.Georeference;
import dev.bayesnf.core.Estimator;
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
import picocli.CommandLine.Option;

/** {@code bayesnf fit}: trains a model on a CSV file and writes a model file. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fit a BayesNF model to observations in a CSV file and save it.")
final class FitCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "TRAIN.csv", description = "Training CSV with a header line.")
    Path data;

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

    @Option(names = "--fourier-degrees", split = ",", paramLabel = "K", description = "Fourier degree per column, time first (default 5 each; 0 disables).")
    List<Integer> fourierDegrees = new ArrayList<>();

    @Option(names = "--interactions", split = ",", paramLabel = "A:B", description = "Products of scaled inputs, named by column, e.g. datetime:latitude.")
    List<String> interactions = new ArrayList<>();

    @Option(names = "--width", defaultValue = "512", description = "Hidden units per layer (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--depth", defaultValue = "2", description = "Hidden layers (default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--estimator", defaultValue = "map", paramLabel = "map|mle|vi", description = "Inference: MAP ensemble, MLE ensemble or variational inference (default ${DEFAULT-VALUE}).")
    String estimator;

    @Option(names = "--ensemble", defaultValue = "64", description = "Total number of particles (MAP/MLE) or surrogates (VI) (default ${DEFAULT-VALUE}).")
    int ensemble;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default 5000 for MAP/MLE, 1000 for VI; VI takes epochs x floor(rows/batch) steps).")
    Integer epochs;

    @Option(names = "--batch", defaultValue = "full", paramLabel = "N|full", description = "Rows per step (default ${DEFAULT-VALUE}).")
    String batch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate (default 0.005 for MAP/MLE, 0.01 for VI).")
    Double lr;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--likelihood", defaultValue = "normal", paramLabel = "normal|nb|zinb", description = "Observation model (default ${DEFAULT-VALUE}).")
    String likelihood;

    @Option(names = "--target-scaling", paramLabel = "standard|none", description = "Transform of the target for training, undone for predictions: standard (z-score with the training mean and standard deviation; the default for the normal likelihood) or none (the reference's behaviour; the only choice for nb and zinb).")
    String targetScaling;

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
        ObservationModel lik = ObservationModel.parse(likelihood);
        ModelSpec spec = new ModelSpec(target, time, freq == null ? null : Frequency.parse(freq), features,
                standardize, seasonality, harmonics, fourierDegrees, parsePairs(interactions), width, depth,
                lik, targetScaling == null ? TargetScaling.defaultFor(lik) : TargetScaling.parse(targetScaling));
        Estimator est = Estimator.parse(estimator);
        TrainConfig config = new TrainConfig(est, ensemble,
                epochs != null ? epochs : TrainConfig.defaults(est).epochs(), parseBatch(batch),
                lr != null ? lr : est.defaultLearningRate(), seed, klWeight, mcSamples, posteriorSamples, threads);
        ComputeBackend backend = Backends.select(device);
        DataTable table = CsvTables.read(data);
        Progress progress = Progress.create("fit", quiet);
        progress.info("device: " + backend.id() + " (" + backend.device() + ")");
        BayesNFModel model;
        try {
            Georeference geo = Georeference.of(spec, table, DataHandler.observedRows(spec, table), coordinates, crs)
                    .orElse(null);
            if (geo == null && crs != null) {
                throw new IllegalArgumentException("--crs given but no coordinate columns found among the features "
                        + spec.features() + "; name them with --coordinates X,Y");
            }
            model = new BayesNFTrainer(backend).fit(table, spec, config, progress).withGeoreference(geo);
        } finally {
            progress.close();
        }
        ModelFile.save(model, output);
        progress.info(String.format(Locale.ROOT, "wrote %s (%d components, final loss %s, %s s)",
                output, model.componentCount(), model.provenance().get("final.loss"),
                model.provenance().get("training.seconds")));
        return 0;
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
}
