package dev.bayesnf.cli;

import dev.bayesnf.service.process.CsvTables;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFPredictor;
import dev.bayesnf.core.BayesNFTrainer;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.Estimator;
import dev.bayesnf.core.FitEstimate;
import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.Frequency;
import dev.bayesnf.core.ModelSpec;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.Prediction;
import dev.bayesnf.core.TrainConfig;
import dev.bayesnf.core.TrainingStatistics;
import dev.bayesnf.core.compute.Backends;
import dev.bayesnf.core.compute.ComputeBackend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bayesnf bench}: the benchmark configurations of docs/BENCHMARKS.md with accuracy,
 * timings and training throughput, and the fidelity check against the reference's stored
 * chickenpox split 8 predictions.
 *
 * <p>Training GFLOP/s counts multiply-adds as 2 floating-point operations: per row and network
 * evaluation, the forward pass has F_in·W + (L-1)·W² + W multiply-adds and the backward pass
 * twice that (weight gradients and input gradients), so a step costs 6·rows·(F_in·W + (L-1)·W² + W)
 * per member (times the Monte Carlo samples for VI): {@link FitEstimate#stepFlops}, the count the
 * fit's time estimate uses. Feature construction and elementwise work are not counted.
 *
 * <p>With several devices ({@code --device java,opencl}) every seed of a configuration is run on
 * each device in turn (alternating, so that a slow phase of a shared machine hits both alike),
 * and a ratio line compares each device with the first: fit-time speed-up, GFLOP/s ratio and the
 * relative differences of the test metrics.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run benchmark configurations and print MAE, RMSE, IS95, coverage95, fit and predict seconds and training GFLOP/s.")
final class BenchCommand implements Callable<Integer> {
    static final List<String> ALL = List.of("wind-cpu", "wind-vi-cpu", "chickenpox-map", "chickenpox-mle", "chickenpox-vi");
    /**
     * Configurations sized for an accelerator, not part of the default run (a CPU would take hours):
     * wind-gpu of the benchmark protocol (width 512, 16 particles, 1000 full-batch epochs).
     */
    static final List<String> ACCELERATOR = List.of("wind-gpu");

    @Option(names = "--config", split = ",", defaultValue = "wind-cpu,wind-vi-cpu,chickenpox-map,chickenpox-mle,chickenpox-vi",
            description = "Configurations: ${COMPLETION-CANDIDATES} (default: all but wind-gpu, which is sized for a GPU).",
            completionCandidates = Names.class)
    List<String> configs;

    @Option(names = "--data-dir", defaultValue = "test-data", description = "Folder with the bundled data (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--seeds", defaultValue = "1", description = "Seeds per configuration (0, 1, ...); the median is reported (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "0", description = "First seed (default ${DEFAULT-VALUE}); seeds run from here, e.g. to add seeds to an earlier run.")
    int firstSeed;

    @Option(names = "--ensemble", description = "Override the number of particles of every configuration (the chickenpox reference used 64).")
    Integer ensemble;

    @Option(names = "--epochs", description = "Override the epochs of every configuration.")
    Integer epochs;

    @Option(names = "--device", split = ",", defaultValue = "auto",
            description = "Compute backend(s): auto, java, opencl or opencl:N; several separated by commas are run"
                    + " alternately and compared (default ${DEFAULT-VALUE}).")
    List<String> devices;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (default: all processors).")
    int threads;

    @Option(names = "--progress", description = "Before each fit, print its size (rows, epochs, steps, training TFLOP) on standard"
            + " error, and during it the epoch, loss and elapsed time every 5 s, so that a run stopped early still gives a rate.")
    boolean progress;

    @Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    static final class Names extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Names() {
            super(ALL);
            addAll(ACCELERATOR);
        }
    }

    /** One benchmark: data, model and inference settings. */
    record Config(String name, String train, String test, ModelSpec spec, TrainConfig train0, String reference) {}

    static Config config(String name) {
        ModelSpec wind = new ModelSpec("wind", "datetime", Frequency.DAILY, List.of("latitude", "longitude"),
                List.of("latitude", "longitude"), List.of("7", "30.4375", "365.25"), List.of(3, 10, 10), List.of(),
                List.of(), 128, 2, ObservationModel.NORMAL);
        ModelSpec windWide = new ModelSpec("wind", "datetime", Frequency.DAILY, List.of("latitude", "longitude"),
                List.of("latitude", "longitude"), List.of("7", "30.4375", "365.25"), List.of(3, 10, 10), List.of(),
                List.of(), 512, 2, ObservationModel.NORMAL);
        ModelSpec pox = new ModelSpec("chickenpox", "datetime", Frequency.WEEKLY, List.of("latitude", "longitude"),
                List.of("latitude", "longitude"), List.of("4.0", "52.1775"), List.of(2, 10), List.of(), List.of(), 256, 2,
                ObservationModel.NORMAL);
        switch (name) {
            case "wind-cpu":
                return new Config(name, "wind.train.csv", "wind.test.csv", wind,
                        new TrainConfig(Estimator.MAP, 8, 100, 4096, 0.005, 0, 0.1, 5, 30, 0), null);
            case "wind-vi-cpu":
                return new Config(name, "wind.train.csv", "wind.test.csv", wind,
                        new TrainConfig(Estimator.VI, 8, 20, 4096, 0.01, 0, 0.1, 5, 30, 0), null);
            case "wind-gpu":
                return new Config(name, "wind.train.csv", "wind.test.csv", windWide,
                        new TrainConfig(Estimator.MAP, 16, 1000, 0, 0.005, 0, 0.1, 5, 30, 0), null);
            case "chickenpox-map":
                return new Config(name, "chickenpox.8.full-train.csv", "chickenpox.8.test.csv", pox,
                        new TrainConfig(Estimator.MAP, 64, 100, 0, 0.005, 0, 0.1, 5, 30, 0), "bnf-map.chickenpox.8.pred.csv");
            case "chickenpox-mle":
                return new Config(name, "chickenpox.8.full-train.csv", "chickenpox.8.test.csv", pox,
                        new TrainConfig(Estimator.MLE, 64, 100, 0, 0.005, 0, 0.1, 5, 30, 0), "bnf-mle.chickenpox.8.pred.csv");
            case "chickenpox-vi":
                // 64 surrogates, 2000 steps at batch 511 (= 100 epochs of floor(10232/511) = 20 steps)
                return new Config(name, "chickenpox.8.full-train.csv", "chickenpox.8.test.csv", pox,
                        new TrainConfig(Estimator.VI, 64, 100, 511, 0.01, 0, 0.1, 5, 30, 0), "bnf-vi.chickenpox.8.pred.csv");
            default:
                throw new IllegalArgumentException("unknown benchmark configuration '" + name + "' (known: "
                        + String.join(", ", ALL) + ", " + String.join(", ", ACCELERATOR) + ")");
        }
    }

    /** Training floating-point operations of a whole fit (see the class comment). */
    static double trainingFlops(FeatureLayout layout, TrainConfig c, int rows) {
        int batch = c.batch() == 0 ? rows : c.batch();
        long steps = (long) c.epochs() * (rows / batch);
        return FitEstimate.stepFlops(layout, c, batch, c.ensemble()) * steps;
    }

    @Override
    public Integer call() {
        PrintWriter out = commandSpec.commandLine().getOut();
        List<ComputeBackend> backends = new ArrayList<>();
        for (String d : devices) {
            ComputeBackend b = Backends.select(d.trim());
            backends.add(b);
            out.printf(Locale.ROOT, "device: %s (%s), threads %d%n", b.id(), b.device(),
                    threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
        }
        out.printf(Locale.ROOT, "%-16s %-10s %-7s %5s %9s %9s %9s %7s %9s %9s %9s%n", "config", "method", "device",
                "seeds", "MAE", "RMSE", "IS95", "cov95", "fit_s", "pred_s", "GFLOP/s");
        Map<String, DataTable> cache = new HashMap<>();
        for (String name : configs) {
            Config cfg = config(name.trim());
            DataTable train = cache.computeIfAbsent(cfg.train(), f -> CsvTables.read(dataDir.resolve(f)));
            DataTable test = cache.computeIfAbsent(cfg.test(), f -> CsvTables.read(dataDir.resolve(f)));
            double[] y = test.numeric(cfg.spec().target(), false);
            List<List<double[]>> runs = new ArrayList<>();
            for (int b = 0; b < backends.size(); b++) {
                runs.add(new ArrayList<>());
            }
            for (int s = firstSeed; s < firstSeed + seeds; s++) {
                TrainConfig c = cfg.train0().withSeed(s).withThreads(threads);
                if (ensemble != null) {
                    c = c.withEnsemble(ensemble);
                }
                if (epochs != null) {
                    c = c.withEpochs(epochs);
                }
                for (int b = 0; b < backends.size(); b++) {
                    ComputeBackend backend = backends.get(b);
                    double[] r = run(backend, cfg, c, train, test, y);
                    runs.get(b).add(r);
                    row(out, name, backend.id(), "s" + s, r);
                }
            }
            List<double[]> medians = new ArrayList<>();
            for (int b = 0; b < backends.size(); b++) {
                double[] med = new double[7];
                for (int j = 0; j < 7; j++) {
                    int jj = j;
                    med[j] = median(runs.get(b).stream().mapToDouble(r -> r[jj]).toArray());
                }
                medians.add(med);
                if (seeds > 1) {
                    row(out, name, backends.get(b).id(), "med", med);
                }
            }
            for (int b = 1; b < backends.size(); b++) {
                double[] base = medians.get(0);
                double[] m = medians.get(b);
                out.printf(Locale.ROOT, "%-16s ratio %s/%s: fit %.2fx faster, GFLOP/s %.2fx; metric differences MAE %+.2f%%,"
                        + " RMSE %+.2f%%, IS95 %+.2f%%, cov95 %+.3f%n", name, backends.get(b).id(), backends.get(0).id(),
                        base[4] / m[4], m[6] / base[6], pct(m[0], base[0]), pct(m[1], base[1]), pct(m[2], base[2]),
                        m[3] - base[3]);
            }
            if (cfg.reference() != null) {
                Metrics r = referenceMetrics(dataDir.resolve(cfg.reference()), test, y);
                out.printf(Locale.ROOT, "%-16s %-10s %-7s %5s %9.3f %9.3f %9.2f %7.3f%n", name, "reference", "-", "-",
                        r.mae(), r.rmse(), r.is95(), r.coverage95());
            }
            out.flush();
        }
        return 0;
    }

    /** One fit and prediction: MAE, RMSE, IS95, coverage95, fit s, predict s, training GFLOP/s. */
    private double[] run(ComputeBackend backend, Config cfg, TrainConfig c, DataTable train, DataTable test, double[] y) {
        Progress listener = null;
        if (progress) {
            int[] observed = TrainingStatistics.observedRows(cfg.spec(), train);
            FeatureLayout layout = cfg.spec().layout(TrainingStatistics.fit(cfg.spec(), train, observed));
            int batch = c.batch() == 0 ? observed.length : c.batch();
            PrintWriter err = commandSpec.commandLine().getErr();
            err.printf(Locale.ROOT, "bench: %s on %s: %d rows, %d particles, %d epochs of %d steps, %.6g TFLOP of"
                    + " training%n", cfg.name(), backend.id(), observed.length, c.ensemble(), c.epochs(),
                    observed.length / batch, trainingFlops(layout, c, observed.length) / 1e12);
            err.flush();
            listener = Progress.create(cfg.name(), false);
        }
        long t0 = System.nanoTime();
        BayesNFModel model;
        try {
            model = new BayesNFTrainer(backend).fit(train, cfg.spec(), c, listener);
        } finally {
            if (listener != null) {
                listener.close();
            }
        }
        double fit = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        Prediction p = new BayesNFPredictor(backend, threads).predict(model, test, new double[] {0.025, 0.975});
        double pred = (System.nanoTime() - t1) / 1e9;
        Metrics m = Metrics.of(y, p.mean(), p.quantiles()[0], p.quantiles()[1]);
        int rows = model.provenanceRecord().trainingRows();
        double gflops = trainingFlops(model.layout(), c, rows) / fit / 1e9;
        return new double[] {m.mae(), m.rmse(), m.is95(), m.coverage95(), fit, pred, gflops};
    }

    private static void row(PrintWriter out, String config, String device, String seed, double[] r) {
        out.printf(Locale.ROOT, "%-16s %-10s %-7s %5s %9.3f %9.3f %9.2f %7.3f %9.1f %9.2f %9.1f%n", config, "bayesnf",
                device, seed, r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
        out.flush();
    }

    /** Relative difference of v from base, in percent. */
    static double pct(double v, double base) {
        return 100 * (v - base) / Math.abs(base);
    }

    /** Scores the reference's stored predictions on the test rows (joined by the index column). */
    static Metrics referenceMetrics(Path predictions, DataTable test, double[] y) {
        DataTable ref = CsvTables.read(predictions);
        double[] idx = ref.numeric("index", false);
        Map<Long, Integer> pos = new HashMap<>();
        for (int i = 0; i < idx.length; i++) {
            pos.put((long) idx[i], i);
        }
        double[] testIdx = test.numeric("index", false);
        double[] yhat = ref.numeric("yhat", false);
        double[] lo = ref.numeric("yhat_lower", false);
        double[] hi = ref.numeric("yhat_upper", false);
        int n = testIdx.length;
        double[] m = new double[n];
        double[] l = new double[n];
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            Integer p = pos.get((long) testIdx[i]);
            if (p == null) {
                throw new IllegalArgumentException(predictions + ": no prediction for test index " + (long) testIdx[i]);
            }
            m[i] = yhat[p];
            l[i] = lo[p];
            u[i] = hi[p];
        }
        return Metrics.of(y, m, l, u);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
