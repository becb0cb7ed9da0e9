package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.compute.JavaBackend;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TargetScaleChoiceTest {
    private static final Georeference GEO = new Georeference("x", "y", "EPSG:32631", 0, 0, 10, 10);

    private static ModelSpec spec() {
        return new ModelSpec("v", null, null, List.of("x", "y"), List.of("x", "y"), List.of(), List.of(),
                List.of(0, 0), List.of(), 8, 2, ObservationModel.NORMAL, TargetScaling.STANDARD);
    }

    /** Which scales a target allows: sqrt from 0 up, log above 0, standard always and first. */
    @Test
    void testCandidatesFollowTheTargetsRange() {
        assertEquals(List.of(TargetScaling.STANDARD), TargetScaleChoice.candidates(new double[] {-1, 2, 3}));
        assertEquals(List.of(TargetScaling.STANDARD, TargetScaling.SQRT),
                TargetScaleChoice.candidates(new double[] {0, 2, Double.NaN}));
        assertEquals(List.of(TargetScaling.STANDARD, TargetScaling.SQRT, TargetScaling.LOG),
                TargetScaleChoice.candidates(new double[] {0.5, 2, 3}));
    }

    /** The quantile-grid CRPS against the normal's closed form, and for a log target against its integral. */
    @Test
    void testGridCrpsMatchesTheClosedForm() {
        double[] z = new double[TargetScaleChoice.LEVELS];
        for (int k = 0; k < z.length; k++) {
            z[k] = NeuralFieldMath.normalQuantile((k + 0.5) / z.length);
        }
        for (double[] c : new double[][] {{0.3, 0, 1}, {2.5, 0, 1}, {-1, 4, 0.5}}) {
            double exact = HybridCrossValidation.crps(c[0], c[1], c[2]);
            assertEquals(exact, TargetScaleChoice.crps(TargetScaling.STANDARD, c[0], c[1], c[2], z), 0.01 * exact,
                    java.util.Arrays.toString(c));
        }
        // a log-normal: CRPS = E|Y - y| - E|Y - Y'|/2, by sampling
        SplittableRandom r = new SplittableRandom(3);
        int n = 400_000;
        double y = 2.0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < n; i++) {
            double u = Math.exp(0.5 + 0.7 * r.nextGaussian());
            double v = Math.exp(0.5 + 0.7 * r.nextGaussian());
            a += Math.abs(u - y);
            b += Math.abs(u - v);
        }
        double sampled = a / n - b / n / 2;
        assertEquals(sampled, TargetScaleChoice.crps(TargetScaling.LOG, y, 0.5, 0.7, z), 0.015 * sampled);
    }

    /**
     * The exponential of a Gaussian field (a concentration) is kriged best on its log; the same
     * field far from 0 (where the square root and the log are nearly linear) keeps standard; a
     * target with negative values has standard alone.
     */
    @Test
    void testTheScaleFollowsTheField() {
        HybridTrainer.Options o = HybridTrainer.Options.defaults();
        SplittableRandom r = new SplittableRandom(11);
        DataTable skewed = HybridTrainerTest.spatialTable(r, 150, 10, f -> Math.exp(1 + 1.6 * f + 0.2 * r.nextGaussian()));
        TargetScaleChoice.Choice c = TargetScaleChoice.choose(skewed, spec(), GEO, o, 0);
        assertEquals(TargetScaling.LOG, c.scaling(), c.scores());
        assertTrue(c.scores().startsWith("standard ") && c.scores().contains(", sqrt ") && c.scores().contains(", log "),
                c.scores());

        DataTable level = HybridTrainerTest.spatialTable(new SplittableRandom(11), 150, 10, f -> 1000 + f);
        TargetScaleChoice.Choice d = TargetScaleChoice.choose(level, spec(), GEO, o, 0);
        assertEquals(TargetScaling.STANDARD, d.scaling(), d.scores());

        DataTable negative = HybridTrainerTest.spatialTable(new SplittableRandom(11), 60, 10, f -> f);
        TargetScaleChoice.Choice e = TargetScaleChoice.choose(negative, spec(), GEO, o, 0);
        assertEquals(TargetScaling.STANDARD, e.scaling());
        assertTrue(e.scores().contains("below 0"), e.scores());
    }

    /**
     * Through the trainer: the model is the one of the chosen scale (its spec and the provenance
     * say which, with every candidate's score), and the same fit without the choice keeps the
     * spec's scaling and records no choice.
     */
    @Test
    void testTheTrainerFitsOnTheChosenScale() {
        SplittableRandom r = new SplittableRandom(11);
        DataTable skewed = HybridTrainerTest.spatialTable(r, 120, 10, f -> Math.exp(1 + 1.6 * f + 0.2 * r.nextGaussian()));
        TrainConfig config = new TrainConfig(Estimator.MAP, 2, 20, 0, 0.01, 0, 0.1, 5, 30, 1);
        HybridTrainer ht = new HybridTrainer(new JavaBackend(), 1);
        BayesNFModel chosen = ht.fit(skewed, spec(), config, GEO, HybridTrainer.Options.defaults().withChooseScaling(true),
                null);
        TargetScaleChoice.Choice c = TargetScaleChoice.choose(skewed, spec(), GEO, HybridTrainer.Options.defaults(), 0);
        assertTrue(c.scaling() != TargetScaling.STANDARD, c.scores());
        assertEquals(c.scaling(), chosen.spec().targetScaling());
        assertEquals(c.scaling().id(), chosen.provenance().get("target.scaling"));
        assertTrue(chosen.provenance().get("target.scaling.choice").contains(c.scores()),
                chosen.provenance().get("target.scaling.choice"));
        BayesNFModel kept = ht.fit(skewed, spec(), config, GEO, HybridTrainer.Options.defaults(), null);
        assertEquals(TargetScaling.STANDARD, kept.spec().targetScaling());
        assertFalse(kept.provenance().containsKey("target.scaling.choice"));
    }
}
