package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.compute.JavaBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Target scaling: raw-scale targets, the exact map back, refusals, and the model file. */
final class TargetScalingTest {
    @TempDir
    Path dir;

    private static ModelSpec meuseSpec(TargetScaling scaling) {
        return new ModelSpec("zinc", null, null, List.of("x", "y"), List.of("x", "y"), List.of(), List.of(), List.of(),
                List.of(), 16, 2, ObservationModel.NORMAL, scaling);
    }

    private static double sd(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x;
        }
        m /= v.length;
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    /**
     * Zinc in ppm (mean 470, std 366): without scaling the MAP ensemble explains the data as noise
     * and predicts a near-constant near 0 on its own training rows; standardized it follows them.
     */
    @Test
    void testRawScaleTargetIsLearnedOnlyWhenStandardized() throws IOException {
        DataTable meuse = GoldenMiniTest.readCsv(GoldenMiniTest.DATA.resolve("meuse.csv"));
        double[] zinc = meuse.numeric("zinc", false);
        TrainConfig config = new TrainConfig(Estimator.MAP, 4, 300, 0, 0.005, 0, 0.1, 5, 30, 1);
        double[] levels = {0.025, 0.975};
        Map<TargetScaling, Prediction> p = new LinkedHashMap<>();
        for (TargetScaling s : TargetScaling.values()) {
            BayesNFModel m = new BayesNFTrainer(new JavaBackend()).fit(meuse, meuseSpec(s), config, null);
            assertEquals(s.id(), m.provenance().get("target.scaling"));
            p.put(s, new BayesNFPredictor(new JavaBackend(), 1).predict(m, meuse, levels));
        }
        double none = sd(p.get(TargetScaling.NONE).mean());
        double standard = sd(p.get(TargetScaling.STANDARD).mean());
        assertTrue(none < 0.05 * sd(zinc), "unscaled predictions vary by " + none);
        assertTrue(standard > 0.5 * sd(zinc), "standardized predictions vary by " + standard + " of " + sd(zinc));
        double err = 0;
        for (int i = 0; i < zinc.length; i++) {
            err += Math.abs(zinc[i] - p.get(TargetScaling.STANDARD).mean()[i]);
        }
        assertTrue(err / zinc.length < 0.6 * sd(zinc), "training MAE " + err / zinc.length);
    }

    /**
     * A log target is the model of log(y) mapped back: the same network (trained on the same
     * numbers), quantiles exp(q) exactly, all positive; the mean is the log-normal mixture's, above
     * exp(mean of the logs) (Jensen) and inside the central 95% interval.
     */
    @Test
    void testLogTargetIsTheModelOfTheLogsMappedBack() throws IOException {
        DataTable meuse = GoldenMiniTest.readCsv(GoldenMiniTest.DATA.resolve("meuse.csv"));
        double[] zinc = meuse.numeric("zinc", false);
        String[] logs = new String[zinc.length];
        for (int i = 0; i < zinc.length; i++) {
            logs[i] = Double.toString(Math.log(zinc[i]));
        }
        DataTable t = meuse.withColumn("lzinc", logs);
        TrainConfig config = new TrainConfig(Estimator.MAP, 4, 100, 0, 0.005, 0, 0.1, 5, 30, 1);
        BayesNFModel logModel = new BayesNFTrainer(new JavaBackend()).fit(t, meuseSpec(TargetScaling.LOG), config, null);
        ModelSpec onLogsSpec = new ModelSpec("lzinc", null, null, List.of("x", "y"), List.of("x", "y"), List.of(),
                List.of(), List.of(), List.of(), 16, 2, ObservationModel.NORMAL, TargetScaling.STANDARD);
        BayesNFModel onLogs = new BayesNFTrainer(new JavaBackend()).fit(t, onLogsSpec, config, null);
        double[] levels = {0.025, 0.5, 0.975};
        Prediction a = new BayesNFPredictor(new JavaBackend(), 1).predict(logModel, t, levels);
        Prediction b = new BayesNFPredictor(new JavaBackend(), 1).predict(onLogs, t, levels);
        for (int i = 0; i < zinc.length; i++) {
            for (int k = 0; k < levels.length; k++) {
                assertEquals(Math.exp(b.quantiles()[k][i]), a.quantiles()[k][i], 1e-9 * a.quantiles()[k][i]);
                assertTrue(a.quantiles()[k][i] > 0);
            }
            assertTrue(a.mean()[i] >= Math.exp(b.mean()[i]) * (1 - 1e-12), "row " + i);
            assertTrue(a.mean()[i] > a.quantiles()[0][i] && a.mean()[i] < a.quantiles()[2][i], "row " + i);
        }
        DataTable zero = meuse.withColumn("zinc", java.util.Collections.nCopies(zinc.length, "0").toArray(new String[0]));
        DataException e = assertThrows(DataException.class,
                () -> new BayesNFTrainer(new JavaBackend()).fit(zero, meuseSpec(TargetScaling.LOG), config, null));
        assertTrue(e.getMessage().contains("line 2, column 'zinc'") && e.getMessage().contains("log1p"), e.getMessage());
    }

    /** E[max(Y, b)] of one component, against the integral over the normal, for each scaling. */
    @Test
    void testCensoredMeanOfAComponent() {
        double[][] cases = {{1.0, 2.0, 0.0}, {-3.0, 1.0, 0.5}, {5.0, 0.5, 0.0}};
        for (double[] c : cases) {
            assertEquals(integral(TargetScaling.STANDARD, c[0], c[1], c[2]),
                    TargetScaling.STANDARD.censoredMeanOfNormal(c[0], c[1], c[2]), 1e-6);
        }
        assertEquals(integral(TargetScaling.LOG, 0.5, 0.8, 1.5), TargetScaling.LOG.censoredMeanOfNormal(0.5,
                0.8, 1.5), 1e-6);
        assertEquals(Math.exp(0.5 + 0.32), TargetScaling.LOG.censoredMeanOfNormal(0.5, 0.8, 0.0), 1e-12);
        assertEquals(integral(TargetScaling.LOG1P, 0.2, 0.6, 0.3), TargetScaling.LOG1P.censoredMeanOfNormal(0.2, 0.6, 0.3), 1e-6);
        // sqrt: the bound inside the support, at 0 (nothing to censor: Y ≥ 0), below it, and a
        // component mostly below 0 (most of its mass maps to y = 0)
        double[][] sqrt = {{1.0, 0.7, 0.5}, {1.0, 0.7, 0.0}, {2.0, 1.5, -3.0}, {-1.0, 0.8, 0.2}};
        for (double[] c : sqrt) {
            assertEquals(integral(TargetScaling.SQRT, c[0], c[1], c[2]),
                    TargetScaling.SQRT.censoredMeanOfNormal(c[0], c[1], c[2]), 1e-6, java.util.Arrays.toString(c));
        }
    }

    private static double integral(TargetScaling ts, double m, double s, double b) {
        int n = 400_000;
        double h = 20.0 / n;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double z = -10 + i * h;
            double w = (i == 0 || i == n ? 0.5 : 1) * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
            sum += w * Math.max(ts.inverse(m + s * z), b);
        }
        return sum * h;
    }

    /** With a lower bound no quantile falls below it, and the mean rises where the bound bites. */
    @Test
    void testLowerBoundRaisesQuantilesAndTheMean() throws IOException {
        DataTable t = ModelFileTest.syntheticTable(120, 3);
        ModelSpec spec = ModelFileTest.spec().withTargetScaling(TargetScaling.STANDARD);
        TrainConfig config = new TrainConfig(Estimator.MAP, 2, 20, 0, 0.005, 0, 0.1, 5, 30, 1);
        BayesNFModel m = new BayesNFTrainer(new JavaBackend()).fit(t, spec, config, null);
        double[] levels = {0.025, 0.5, 0.975};
        Prediction free = new BayesNFPredictor(new JavaBackend(), 1).predict(m, t, levels);
        Prediction bounded = new BayesNFPredictor(new JavaBackend(), 1).withLowerBound(0.0).predict(m, t, levels);
        int bites = 0;
        for (int i = 0; i < t.rows(); i++) {
            for (int k = 0; k < levels.length; k++) {
                assertEquals(Math.max(free.quantiles()[k][i], 0.0), bounded.quantiles()[k][i], 1e-9);
            }
            assertTrue(bounded.mean()[i] >= free.mean()[i] - 1e-9 && bounded.mean()[i] >= 0, "row " + i);
            bites += free.quantiles()[0][i] < 0 ? 1 : 0;
        }
        assertTrue(bites > 0, "the synthetic target crosses 0, so the bound must bite somewhere");
    }

    /** The log-normal mean of a component, and the maps of each scaling. */
    @Test
    void testLogMaps() {
        assertEquals(Math.exp(1.0 + 0.5 * 0.25), TargetScaling.LOG.meanOfNormal(1.0, 0.5), 1e-15);
        assertEquals(Math.expm1(1.0 + 0.5 * 0.25), TargetScaling.LOG1P.meanOfNormal(1.0, 0.5), 1e-15);
        assertEquals(1.0, TargetScaling.STANDARD.meanOfNormal(1.0, 0.5));
        assertEquals(0.0, TargetScaling.LOG1P.forward(0.0));
        assertEquals(5.0, TargetScaling.LOG.inverse(TargetScaling.LOG.forward(5.0)), 1e-12);
        assertTrue(!TargetScaling.LOG.accepts(0) && TargetScaling.LOG1P.accepts(0) && !TargetScaling.LOG1P.accepts(-1));
        assertEquals(TargetScaling.LOG1P, TargetScaling.parse(" Log1p "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetScaling.parse("cbrt"));
        assertTrue(e.getMessage().contains("log1p") && e.getMessage().contains("sqrt"), e.getMessage());
    }

    /**
     * sqrt: √y forward, max(v, 0)² back (values below 0 on the model's scale are y = 0), zeros
     * accepted and negative values not, and the mean of a component E[max(X, 0)²] against the
     * integral, including one centred below 0.
     */
    @Test
    void testSqrtMaps() {
        TargetScaling s = TargetScaling.SQRT;
        assertEquals(s, TargetScaling.parse("SQRT"));
        assertEquals(3.0, s.forward(9.0), 0);
        assertEquals(9.0, s.inverse(3.0), 0);
        assertEquals(0.0, s.inverse(-0.4), 0);
        assertEquals(7.3, s.inverse(s.forward(7.3)), 1e-12);
        assertTrue(s.accepts(0) && !s.accepts(-1e-9) && s.transforms() && s.standardizes());
        // far above 0 the square's mean is m² + s²
        assertEquals(25.0 + 0.04, s.meanOfNormal(5.0, 0.2), 1e-9);
        for (double[] c : new double[][] {{0.3, 1.0}, {-0.5, 0.4}, {1.2, 0.0}}) {
            assertEquals(c[1] == 0 ? c[0] * c[0] : integral(s, c[0], c[1], 0.0), s.meanOfNormal(c[0], c[1]), 1e-6);
        }
    }

    /**
     * A sqrt target is the model of √y mapped back: quantiles are the square of the model's on √y
     * (the same numbers trained), never negative; a negative value is refused naming its line and
     * column and what the scaling needs.
     */
    @Test
    void testSqrtTargetIsTheModelOfTheRootsMappedBack() throws IOException {
        DataTable meuse = GoldenMiniTest.readCsv(GoldenMiniTest.DATA.resolve("meuse.csv"));
        double[] zinc = meuse.numeric("zinc", false);
        String[] roots = new String[zinc.length];
        for (int i = 0; i < zinc.length; i++) {
            roots[i] = Double.toString(Math.sqrt(zinc[i]));
        }
        DataTable t = meuse.withColumn("rzinc", roots);
        TrainConfig config = new TrainConfig(Estimator.MAP, 4, 100, 0, 0.005, 0, 0.1, 5, 30, 1);
        BayesNFModel sqrtModel = new BayesNFTrainer(new JavaBackend()).fit(t, meuseSpec(TargetScaling.SQRT), config, null);
        ModelSpec onRootsSpec = new ModelSpec("rzinc", null, null, List.of("x", "y"), List.of("x", "y"), List.of(),
                List.of(), List.of(), List.of(), 16, 2, ObservationModel.NORMAL, TargetScaling.STANDARD);
        BayesNFModel onRoots = new BayesNFTrainer(new JavaBackend()).fit(t, onRootsSpec, config, null);
        double[] levels = {0.025, 0.5, 0.975};
        Prediction a = new BayesNFPredictor(new JavaBackend(), 1).predict(sqrtModel, t, levels);
        Prediction b = new BayesNFPredictor(new JavaBackend(), 1).predict(onRoots, t, levels);
        for (int i = 0; i < zinc.length; i++) {
            for (int k = 0; k < levels.length; k++) {
                double q = Math.max(b.quantiles()[k][i], 0);
                assertEquals(q * q, a.quantiles()[k][i], 1e-9 * Math.max(1, a.quantiles()[k][i]));
                assertTrue(a.quantiles()[k][i] >= 0);
            }
            // E[Y] = E[X²] ≥ E[X]² (Jensen), where the model's mass lies above 0
            if (b.quantiles()[0][i] > 0) {
                assertTrue(a.mean()[i] >= b.mean()[i] * b.mean()[i] * (1 - 1e-12), "row " + i);
            }
        }
        zinc[1] = -2;
        DataTable negative = meuse.withColumn("zinc", java.util.Arrays.stream(zinc).mapToObj(Double::toString)
                .toArray(String[]::new));
        DataException e = assertThrows(DataException.class,
                () -> new BayesNFTrainer(new JavaBackend()).fit(negative, meuseSpec(TargetScaling.SQRT), config, null));
        assertTrue(e.getMessage().contains("column 'zinc'") && e.getMessage().contains("sqrt")
                && e.getMessage().contains("0 or more"), e.getMessage());
    }

    /** Predictions in the target's units are the scaled model's predictions mapped back, exactly. */
    @Test
    void testPredictionsAreMappedBackExactly() throws IOException {
        DataTable t = ModelFileTest.syntheticTable(120, 3);
        ModelSpec spec = ModelFileTest.spec().withTargetScaling(TargetScaling.STANDARD);
        TrainConfig config = new TrainConfig(Estimator.MAP, 2, 20, 0, 0.005, 0, 0.1, 5, 30, 1);
        BayesNFModel m = new BayesNFTrainer(new JavaBackend()).fit(t, spec, config, null);
        TrainingStatistics st = m.stats();
        double[] y = t.numeric("y", false);
        double mean = java.util.Arrays.stream(y).average().orElseThrow();
        assertEquals(mean, st.targetMean(), 1e-12);
        assertEquals(sd(y), st.targetStd(), 1e-12);
        double[] levels = {0.1, 0.5, 0.9};
        Prediction scaled = new BayesNFPredictor(new JavaBackend(), 1).predict(
                new BayesNFModel(spec.withTargetScaling(TargetScaling.NONE), m.config(),
                        new TrainingStatistics(st.timeMin(), st.timeScale(), st.mean(), st.std()), m.components(),
                        m.losses(), m.provenance()), t, levels);
        Prediction p = new BayesNFPredictor(new JavaBackend(), 1).predict(m, t, levels);
        for (int i = 0; i < t.rows(); i++) {
            assertEquals(scaled.mean()[i] * st.targetStd() + st.targetMean(), p.mean()[i], 1e-12);
            for (int q = 0; q < levels.length; q++) {
                assertEquals(scaled.quantiles()[q][i] * st.targetStd() + st.targetMean(), p.quantiles()[q][i], 1e-12);
            }
        }
        Path file = dir.resolve("scaled.bnf");
        ModelFile.save(m, file);
        BayesNFModel back = ModelFile.load(file);
        assertEquals(TargetScaling.STANDARD, back.spec().targetScaling());
        assertEquals(st.targetMean(), back.stats().targetMean(), 0);
        assertEquals(st.targetStd(), back.stats().targetStd(), 0);
        assertEquals(p.mean()[7], new BayesNFPredictor(new JavaBackend(), 1).predict(back, t, levels).mean()[7], 0);
    }

    @Test
    void testConstantTargetIsRefusedNamingTheColumn() {
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("x", new double[] {0, 1, 2, 3});
        cols.put("y", new double[] {5, 6, 7, 9});
        cols.put("zinc", new double[] {3, 3, 3, 3});
        DataTable t = DataTable.ofNumbers("flat.csv", cols);
        DataException e = assertThrows(DataException.class, () -> new BayesNFTrainer(new JavaBackend()).fit(t,
                meuseSpec(TargetScaling.STANDARD), TrainConfig.defaults(Estimator.MAP).withEpochs(1), null));
        assertTrue(e.getMessage().contains("'zinc'") && e.getMessage().contains("constant"), e.getMessage());
    }

    @Test
    void testCountLikelihoodsRefuseStandardScaling() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModelSpec("n", null, null,
                List.of("x"), List.of(), List.of(), List.of(), List.of(), List.of(), 4, 1, ObservationModel.NB,
                TargetScaling.STANDARD));
        assertTrue(e.getMessage().contains("counts"), e.getMessage());
        assertEquals(TargetScaling.NONE, TargetScaling.defaultFor(ObservationModel.ZINB));
        assertEquals(TargetScaling.STANDARD, TargetScaling.defaultFor(ObservationModel.NORMAL));
    }
}
