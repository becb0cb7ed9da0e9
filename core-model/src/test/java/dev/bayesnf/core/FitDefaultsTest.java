package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.FitDefaults.Choice;
import dev.bayesnf.core.FitDefaults.Device;
import dev.bayesnf.core.FitDefaults.Given;
import dev.bayesnf.core.compute.JavaBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule that scales the default settings to the data and the device (docs/MODEL.md). */
final class FitDefaultsTest {
    private static Choice cpu(int rows) {
        return FitDefaults.choose(rows, 2, false, Estimator.MAP, Device.JAVA);
    }

    @Test
    void meuseGetsTheSettingsItsBenchmarkUsed() {
        // bench/splits/meuse.split, meuse-hybrid: width 64, depth 2, 16 particles, full batch, 2000 epochs
        for (int rows : new int[] {116, 155}) {
            Choice c = cpu(rows);
            assertEquals(List.of(64, 2, 16, 0, 2000), List.of(c.width(), c.depth(), c.ensemble(), c.batch(), c.epochs()));
            assertEquals(List.of("width", "depth", "ensemble", "batch", "epochs"), c.scaled());
            assertEquals("width 64, depth 2, 16 particles, batch full, 2000 epochs", c.describe());
            assertEquals("defaults scaled to the data", c.source());
        }
    }

    @Test
    void largerDataGetWiderNetworksAndBatchesOfAtMost4096() {
        Choice c = cpu(4096);
        assertEquals(List.of(128, 0, 2000), List.of(c.width(), c.batch(), c.epochs()));
        c = cpu(4097);
        assertEquals(2048, c.batch(), "two even batches");
        assertEquals(1000, c.epochs());
        // wind: 19 batches of 4094 rows, 2000 / 19 epochs
        c = cpu(77_793);
        assertEquals(List.of(128, 16, 4094, 105), List.of(c.width(), c.ensemble(), c.batch(), c.epochs()));
        assertEquals(19, FitDefaults.stepsPerEpoch(77_793, c.batch()));
        c = FitDefaults.choose(77_793, 2, true, Estimator.MAP, Device.ACCELERATOR);
        assertEquals(List.of(256, 64), List.of(c.width(), c.ensemble()));
        assertEquals(128, FitDefaults.choose(40_000, 2, true, Estimator.MAP, Device.ACCELERATOR).width());
        assertEquals(16, FitDefaults.choose(77_793, 2, true, Estimator.MAP, Device.OPENCL_CPU).ensemble());
        // the service's largest data: the fewest epochs
        assertEquals(FitDefaults.MIN_EPOCHS, cpu(2_000_000).epochs());
    }

    @Test
    void theChoiceGrowsWithTheDataAndTheStepsStayNearTheTarget() {
        Choice before = cpu(2);
        for (int rows = 3; rows <= 3_000_000; rows = rows * 5 / 4 + 1) {
            Choice c = cpu(rows);
            assertTrue(c.width() >= before.width(), rows + " rows");
            assertTrue(c.ensemble() == before.ensemble() && c.depth() == 2, rows + " rows");
            int b = c.batch() == 0 ? rows : c.batch();
            assertTrue(b <= FitDefaults.MAX_BATCH && b >= (before.batch() == 0 ? 0 : FitDefaults.MAX_BATCH / 2),
                    rows + " rows: batch " + b);
            assertTrue(rows - FitDefaults.stepsPerEpoch(rows, c.batch()) * b < b, rows + " rows: every batch but a rest");
            long steps = (long) c.epochs() * FitDefaults.stepsPerEpoch(rows, c.batch());
            // within half an epoch of the target, unless clamped
            assertTrue(c.epochs() == FitDefaults.MIN_EPOCHS || Math.abs(steps - FitDefaults.TARGET_STEPS)
                    <= FitDefaults.stepsPerEpoch(rows, c.batch()) / 2.0, rows + " rows: " + steps + " steps");
            assertTrue(c.epochs() <= before.epochs(), rows + " rows");
            before = c;
        }
    }

    @Test
    void givenSettingsWinAndTheEpochsFollowTheBatchInUse() {
        Choice c = FitDefaults.resolve(new Given(8, 3, 2, null, null), 155, 2, false, Estimator.MAP, Device.JAVA);
        assertEquals(List.of(8, 3, 2, 0, 2000), List.of(c.width(), c.depth(), c.ensemble(), c.batch(), c.epochs()));
        assertEquals(List.of("batch", "epochs"), c.scaled());
        assertEquals("scaled to the data: batch, epochs", c.source());
        c = FitDefaults.resolve(new Given(null, null, null, 100, null), 1000, 2, false, Estimator.MAP, Device.JAVA);
        assertEquals(List.of(100, 200), List.of(c.batch(), c.epochs()), "10 steps per epoch");
        c = FitDefaults.resolve(new Given(512, 2, 64, 0, 5000), 155, 2, false, Estimator.MAP, Device.ACCELERATOR);
        assertEquals(List.of(512, 2, 64, 0, 5000), List.of(c.width(), c.depth(), c.ensemble(), c.batch(), c.epochs()));
        assertEquals("as given", c.source());
        TrainConfig applied = c.apply(TrainConfig.defaults(Estimator.MAP).withEnsemble(3).withEpochs(7).withBatch(9));
        assertEquals(List.of(64, 5000, 0), List.of(applied.ensemble(), applied.epochs(), applied.batch()));
    }

    @Test
    void featuresTimeAndTheEstimatorChangeTheCostNotTheChoice() {
        for (int rows : new int[] {30, 5000, 90_000}) {
            Choice c = cpu(rows);
            assertEquals(c, FitDefaults.choose(rows, 12, true, Estimator.VI, Device.JAVA));
            assertEquals(c, FitDefaults.choose(rows, 1, false, Estimator.MLE, Device.OPENCL_CPU));
        }
        assertThrows(IllegalArgumentException.class, () -> FitDefaults.choose(-1, 2, false, Estimator.MAP, Device.JAVA));
        assertEquals(Device.JAVA, Device.of(new JavaBackend()));
    }
}
