package dev.bayesnf.core.kriging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The recalibration of quantile levels from PIT values. */
final class QuantileRecalibrationTest {
    @Test
    void uniformPitValuesLeaveTheLevelsNearlyAlone() {
        SplittableRandom r = new SplittableRandom(3);
        double[] pit = new double[20_000];
        for (int i = 0; i < pit.length; i++) {
            pit[i] = r.nextDouble();
        }
        QuantileRecalibration q = QuantileRecalibration.fit(pit, pit.length);
        for (double tau : new double[] {0.025, 0.1, 0.5, 0.9, 0.975}) {
            assertEquals(tau, q.level(tau), 0.01, "level " + tau);
        }
    }

    @Test
    void skewedErrorsMoveTheLevelsByTheShrunkEmpiricalQuantile() {
        // PIT values of errors with a heavy upper tail: a tenth of the observations above the
        // predictive 95% point, none below its 5% point
        double[] pit = new double[1000];
        for (int i = 0; i < pit.length; i++) {
            double u = (i + 0.5) / pit.length;
            pit[i] = 0.05 + 0.85 * u / 0.9;
            if (u > 0.9) {
                pit[i] = 0.95 + 0.05 * (u - 0.9) / 0.1;
            }
        }
        // the empirical quantile at 0.975 is about 0.9625 (a quarter into the top tenth); λ = 1000/1100
        QuantileRecalibration q = QuantileRecalibration.fit(pit, pit.length);
        double lambda = 1000 / 1100.0;
        double empirical = 0.95 + 0.05 * 0.75;
        assertEquals((1 - lambda) * 0.975 + lambda * empirical, q.level(0.975), 2e-3);
        assertTrue(q.level(0.025) > 0.025, "the lower tail is too wide: its level rises, " + q.level(0.025));
        // few rows: half way, whatever the values
        QuantileRecalibration few = QuantileRecalibration.fit(pit, 100);
        assertEquals(0.5 * 0.975 + 0.5 * empirical, few.level(0.975), 2e-3);
        assertEquals(few, new QuantileRecalibration(few.levels()));
        assertTrue(q.describe().startsWith("0.025 -> "), q.describe());
    }

    @Test
    void levelsStayInsideTheOpenInterval() {
        double[] pit = new double[500];
        java.util.Arrays.fill(pit, 0.999);
        QuantileRecalibration q = QuantileRecalibration.fit(pit, 1_000_000);
        assertTrue(q.level(0.975) < 1 && q.level(0.001) > 0, q.level(0.975) + " " + q.level(0.001));
        for (double tau = 0.001; tau < 1; tau += 0.01) {
            assertTrue(q.level(tau) <= q.level(Math.min(0.999, tau + 0.01)), "monotone at " + tau);
        }
    }

    @Test
    void badTablesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new QuantileRecalibration(new double[3]));
        double[] down = new double[QuantileRecalibration.GRID + 1];
        down[QuantileRecalibration.GRID] = 1;
        down[5] = 0.5;
        assertThrows(IllegalArgumentException.class, () -> new QuantileRecalibration(down));
        assertThrows(IllegalArgumentException.class, () -> QuantileRecalibration.fit(new double[] {0.5}, 10));
    }
}
