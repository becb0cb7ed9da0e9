package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.compute.JavaBackend;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The estimate of a fit's time made before it starts: its schedule counted as the fit runs it,
 * and a positive, finite time. Not a timed test: the ratio to the real time is printed, not
 * asserted (docs/BENCHMARKS.md has the measured accuracy).
 */
final class FitEstimateTest {
    private static final ModelSpec SPEC = new ModelSpec("v", null, null, List.of("x", "y"), List.of("x", "y"), List.of(),
            List.of(), List.of(0, 0), List.of(), 8, 1, ObservationModel.NORMAL, TargetScaling.STANDARD);
    private static final Georeference GEO = new Georeference("x", "y", "EPSG:32631", 0, 0, 10, 10);

    @Test
    void theEstimateCountsTheCrossValidationAndTheFinalTraining() {
        // a purely spatial field at 30 places (its kriging fits take a fraction of those with time)
        double[][] coords = new double[30][2];
        DataTable t = HybridTrainerTest.sameDayField(30, 1, 3, coords);
        TrainConfig config = TrainConfig.defaults(Estimator.MAP).withEnsemble(2).withEpochs(40).withBatch(8).withThreads(1);
        HybridTrainer trainer = new HybridTrainer(new JavaBackend(), 1);
        HybridTrainer.Options options = HybridTrainer.Options.defaults();
        FitEstimate e = trainer.estimate(t, SPEC, config, GEO, options);
        // 5 folds over the places, each on 24 of the 30 rows: 3 batches of 8; the final training 3 batches
        assertEquals(5, e.folds());
        assertEquals(5 * 40 * 3 + 40 * 3, e.steps());
        assertTrue(e.seconds() > 0 && Double.isFinite(e.seconds()) && e.trainingSeconds() <= e.seconds(), e.toString());
        assertTrue(e.flopsPerSecond() > 0 && Double.isFinite(e.flopsPerSecond()), e.toString());
        assertTrue(e.describe().startsWith("estimated ") && e.describe().endsWith(" on java (1 thread)"), e.describe());
        long t0 = System.nanoTime();
        BayesNFModel m = trainer.fit(t, SPEC, config, GEO, options, null);
        double real = (System.nanoTime() - t0) / 1e9;
        assertEquals("5", m.provenance().get("cv.folds"));
        System.out.printf(Locale.ROOT, "FitEstimateTest: estimated %.2f s (training %.2f s, kriging %.2f s; warm-up"
                + " %.2f s), fit %.2f s, ratio %.2f%n", e.seconds(), e.trainingSeconds(), e.krigingSeconds(),
                e.warmUpSeconds(), real, e.seconds() / real);

        FitEstimate alone = trainer.estimate(t, SPEC, config, GEO, HybridTrainer.Options.off());
        assertEquals(0, alone.folds());
        assertEquals(40 * 3, alone.steps());
        assertEquals(0, alone.krigingSeconds());
    }

    @Test
    void theLineBeforeTrainingSaysWhatWasChosenAndHowLongItWillTake() {
        FitEstimate e = new FitEstimate(40.2, 30, 5, 12_000, 5, 1, 0, 2e9, 0.4, FitDefaults.Device.JAVA, 2);
        FitDefaults.Choice c = FitDefaults.choose(155, 2, false, Estimator.MAP, FitDefaults.Device.JAVA);
        assertEquals("155 rows, width 64, depth 2, 16 particles, batch full, 2000 epochs (defaults scaled to the data),"
                + " 5-fold cross-validation first; estimated 40 s on java (2 threads)", e.summary(155, c));
        assertEquals("estimated 2.2 h on opencl (GPU)",
                new FitEstimate(7920, 7000, 0, 1, 0, 0, 0, 1e12, 1, FitDefaults.Device.ACCELERATOR, 0).describe());
        assertEquals(List.of("4.5 s", "40 s", "12 min", "2.2 h", "unknown time"), List.of(FitEstimate.duration(4.5),
                FitEstimate.duration(40.2), FitEstimate.duration(720), FitEstimate.duration(7920),
                FitEstimate.duration(Double.NaN)));
        assertEquals("155 rows, width 64, depth 2, 16 particles, batch full, 2000 epochs (defaults scaled to the data),"
                + " the target's scale chosen among 3 first, 5-fold cross-validation first; estimated 40 s on java"
                + " (2 threads)", new FitEstimate(40.2, 30, 5, 12_000, 5, 1, 3, 2e9, 0.4, FitDefaults.Device.JAVA, 2)
                        .summary(155, c));
    }

    @Test
    void theScaleChosenByTheDataAddsItsPrePassOfKrigingPerCandidate() {
        double[][] coords = new double[30][2];
        DataTable field = HybridTrainerTest.sameDayField(30, 1, 3, coords);
        // above 0 everywhere: standard, sqrt and log are the candidates
        DataTable positive = shifted(field, 100);
        TrainConfig config = TrainConfig.defaults(Estimator.MAP).withEnsemble(2).withEpochs(4).withBatch(8).withThreads(1);
        HybridTrainer trainer = new HybridTrainer(new JavaBackend(), 1);
        HybridTrainer.Options given = HybridTrainer.Options.defaults();
        FitEstimate fixed = trainer.estimate(positive, SPEC, config, GEO, given);
        FitEstimate chosen = trainer.estimate(positive, SPEC, config, GEO, given.withChooseScaling(true));
        assertEquals(0, fixed.scales());
        assertEquals(3, chosen.scales());
        // each candidate: one purely spatial kriging fit and the kriging of the 30 rows
        assertEquals(fixed.krigingSeconds() + 3 * (FitEstimate.KRIGING_FIT_SECONDS_SPATIAL
                + 30 * FitEstimate.KRIGING_SECONDS_PER_ROW), chosen.krigingSeconds(), 1e-9);
        assertEquals(fixed.steps(), chosen.steps());
        // values below 0 leave standard alone: nothing to compare, nothing added
        FitEstimate signed = trainer.estimate(shifted(field, -100), SPEC, config, GEO, given.withChooseScaling(true));
        assertEquals(1, signed.scales());
        assertEquals(fixed.krigingSeconds(), signed.krigingSeconds(), 1e-9);
    }

    /** The field with its values moved by {@code by}. */
    private static DataTable shifted(DataTable field, double by) {
        Map<String, double[]> c = new LinkedHashMap<>();
        c.put("x", field.numeric("x", false));
        c.put("y", field.numeric("y", false));
        c.put("v", Arrays.stream(field.numeric("v", false)).map(a -> a + by).toArray());
        return DataTable.ofNumbers("shifted", c);
    }

    @Test
    void unusableSettingsAreRefusedAsTheFitWouldRefuseThem() {
        double[][] coords = new double[3][2];
        DataTable t = HybridTrainerTest.sameDayField(3, 4, 1, coords);
        TrainConfig tooLarge = TrainConfig.defaults(Estimator.MAP).withEnsemble(1).withEpochs(2).withBatch(100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HybridTrainer(new JavaBackend(), 1)
                .estimate(t, SPEC, tooLarge, GEO, HybridTrainer.Options.off()));
        assertTrue(e.getMessage().contains("batch size 100 is larger than the 12 training rows"), e.getMessage());
    }
}
