package dev.bayesnf.core.kriging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Simple and ordinary kriging: cases worked by hand, leave-one-out, duplicates, fading out in space and time. */
final class ResidualKrigingTest {
    private static final CovarianceModel EXP = new CovarianceModel.Spatial(0.2, 1.0, Marginal.EXPONENTIAL, 1.5);

    /**
     * Three sites (0,0), (1,0), (0,2) with residuals 1, -0.5, 2; exponential covariance, nugget
     * 0.2, partial sill 1, range 1.5; prediction at (0.5, 0.5). K = C(h_ij) + 0.2 I,
     * c = exp(-|s_i - q|/1.5); the weights K⁻¹c solved by Cramer's rule are
     * 0.33850571, 0.34694504, 0.15095260; r̂ = wᵀr = 0.46693840, σ² = 1.2 - wᵀc = 0.71958474.
     */
    @Test
    void testThreePointCaseMatchesHandComputation() {
        Sites s = new Sites(new double[] {0, 1, 0}, new double[] {0, 0, 2}, new double[3], new double[] {1, -0.5, 2});
        ResidualKriging k = new ResidualKriging(s, DistanceMetric.PLANAR, 1, EXP, 8, 0, 1, null);
        double[] out = new double[3];
        k.kriger().krige(0.5, 0.5, 0, true, out);
        // Cramer's rule, independently of the library solver
        double[][] p = {{0, 0}, {1, 0}, {0, 2}};
        double[][] m = new double[3][3];
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            c[i] = Math.exp(-Math.hypot(p[i][0] - 0.5, p[i][1] - 0.5) / 1.5);
            for (int j = 0; j < 3; j++) {
                m[i][j] = Math.exp(-Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]) / 1.5) + (i == j ? 0.2 : 0);
            }
        }
        double det = det(m);
        double[] w = new double[3];
        for (int col = 0; col < 3; col++) {
            double[][] mc = new double[3][];
            for (int i = 0; i < 3; i++) {
                mc[i] = m[i].clone();
                mc[i][col] = c[i];
            }
            w[col] = det(mc) / det;
        }
        assertEquals(0.33850571, w[0], 1e-8);
        assertEquals(0.34694504, w[1], 1e-8);
        assertEquals(0.15095260, w[2], 1e-8);
        assertEquals(w[0] * 1 - w[1] * 0.5 + w[2] * 2, out[0], 1e-12);
        assertEquals(0.46693840, out[0], 1e-8);
        assertEquals(1.2 - (w[0] * c[0] + w[1] * c[1] + w[2] * c[2]), out[1], 1e-12);
        assertEquals(0.71958474, out[1], 1e-8);
        assertEquals(3, out[2]);
    }

    /**
     * The same three sites with ordinary kriging: the augmented system [K 1; 1ᵀ 0][w; μ] = [c; 1]
     * solved by Gaussian elimination here, independently of the kriger's K⁻¹c and K⁻¹1 route;
     * r̂ = wᵀr and σ²_OK = C(0, 0) − wᵀc − μ.
     */
    @Test
    void testOrdinaryKrigingMatchesTheAugmentedSystem() {
        Sites s = new Sites(new double[] {0, 1, 0}, new double[] {0, 0, 2}, new double[3], new double[] {1, -0.5, 2});
        ResidualKriging k = new ResidualKriging(s, DistanceMetric.PLANAR, 1, EXP, 8, 0, 1, null).withOrdinary(true);
        double[] out = new double[4];
        k.kriger().krige(0.5, 0.5, 0, true, out);
        double[][] p = {{0, 0}, {1, 0}, {0, 2}};
        double[][] a = new double[4][5];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                a[i][j] = Math.exp(-Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]) / 1.5) + (i == j ? 0.2 : 0);
            }
            a[i][3] = 1;
            a[3][i] = 1;
            a[i][4] = Math.exp(-Math.hypot(p[i][0] - 0.5, p[i][1] - 0.5) / 1.5);
        }
        a[3][4] = 1;
        double[] c = {a[0][4], a[1][4], a[2][4]};
        double[] x = gauss(a);
        assertEquals(1, x[0] + x[1] + x[2], 1e-12);
        assertEquals(x[0] * 1 - x[1] * 0.5 + x[2] * 2, out[0], 1e-12);
        double wc = x[0] * c[0] + x[1] * c[1] + x[2] * c[2];
        assertEquals(1.2 - wc - x[3], out[1], 1e-12);
        assertEquals(out[1] / 1.2, out[3], 1e-12);
        // more than simple kriging's variance: the level is estimated too
        double[] sk = new double[4];
        k.withOrdinary(false).kriger().krige(0.5, 0.5, 0, true, sk);
        assertTrue(out[1] > sk[1], out[1] + " vs " + sk[1]);
    }

    /** Ordinary kriging reproduces a constant residual field exactly; simple kriging shrinks it to 0. */
    @Test
    void testOrdinaryKrigingReproducesALocalLevel() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 50;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble() * 10;
            y[i] = rnd.nextDouble() * 10;
            r[i] = 3;
        }
        ResidualKriging k = new ResidualKriging(new Sites(x, y, new double[n], r), DistanceMetric.PLANAR, 1, EXP, 16,
                0, 1, null);
        double[] out = new double[4];
        k.withOrdinary(true).kriger().krige(20, 20, 0, true, out);
        assertEquals(3, out[0], 1e-9);
        k.kriger().krige(20, 20, 0, true, out);
        assertTrue(Math.abs(out[0]) < 0.01, "simple kriging far from data: " + out[0]);
    }

    /** Solves the augmented n x (n+1) system by Gaussian elimination with partial pivoting. */
    private static double[] gauss(double[][] a) {
        int n = a.length;
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int k = c; k <= n; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a[i][n] / a[i][i];
        }
        return x;
    }

    private static double det(double[][] a) {
        return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    }

    @Test
    void testObservationIsLeftOutAtItsOwnPlaceAndTime() {
        Sites s = new Sites(new double[] {0, 1, 0}, new double[] {0, 0, 2}, new double[3], new double[] {1, -0.5, 2});
        ResidualKriging k = new ResidualKriging(s, DistanceMetric.PLANAR, 1, EXP, 8, 0, 1, null);
        double[] in = new double[3];
        double[] out = new double[3];
        k.kriger().krige(0, 0, 0, false, in);
        k.kriger().krige(0, 0, 0, true, out);
        assertEquals(3, in[2]);
        assertEquals(2, out[2]);
        // with its own value the prediction is pulled to it (the nugget keeps it from equalling it)
        assertTrue(Math.abs(in[0] - 1) < Math.abs(out[0] - 1), in[0] + " vs " + out[0]);
        assertTrue(in[1] < out[1]);
    }

    @Test
    void testDuplicatesAreMergedIntoTheirMean() {
        Sites s = new Sites(new double[] {0, 0, 3}, new double[] {0, 0, 0}, new double[3], new double[] {1, 3, -1});
        ResidualKriging k = new ResidualKriging(s, DistanceMetric.PLANAR, 1, EXP, 8, 0, 1, null);
        assertEquals(2, k.sites().size());
        Sites merged = new Sites(new double[] {0, 3}, new double[] {0, 0}, new double[2], new double[] {2, -1});
        ResidualKriging k2 = new ResidualKriging(merged, DistanceMetric.PLANAR, 1, EXP, 8, 0, 1, null);
        double[] a = new double[3];
        double[] b = new double[3];
        k.kriger().krige(1, 1, 0, true, a);
        k2.kriger().krige(1, 1, 0, true, b);
        assertEquals(b[0], a[0], 0);
        assertEquals(b[1], a[1], 0);
    }

    /** Far from every site in space, or past the window in time, the correction fades to 0. */
    @Test
    void testCorrectionFadesOutFarFromDataInSpaceAndTime() {
        CovarianceModel st = new CovarianceModel.Separable(0.1, 0.9, Marginal.EXPONENTIAL, 1, 0, Marginal.EXPONENTIAL,
                2, 0);
        int w = ResidualKriging.window(st, 30);
        assertTrue(w > 3 && w < 30, "window " + w);
        Sites s = new Sites(new double[] {0, 1}, new double[] {0, 0}, new double[] {10, 10}, new double[] {1, 1});
        ResidualKriging k = new ResidualKriging(s, DistanceMetric.PLANAR, 1, st, 8, w, 1, null);
        double[] out = new double[3];
        double prev = Double.POSITIVE_INFINITY;
        for (int dt = 0; dt <= w + 2; dt++) {
            k.kriger().krige(0.5, 0, 10 + dt, true, out);
            assertTrue(out[0] <= prev + 1e-15, "not decreasing at lag " + dt);
            prev = out[0];
            if (dt > w) {
                assertEquals(0, out[0]);
                assertEquals(1.0, out[1], 1e-12);
            }
        }
        k.kriger().krige(500, 0, 10, true, out);
        assertEquals(0, out[0], 1e-12);
        assertEquals(1.0, out[1], 1e-12);
    }

    /** Neighbours from a k-d tree give what an exhaustive search gives. */
    @Test
    void testTreeNeighboursEqualExhaustiveSearch() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 3000;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -10 + 5 * r.nextDouble();
            y[i] = 50 + 5 * r.nextDouble();
            v[i] = r.nextGaussian();
        }
        CovarianceModel m = new CovarianceModel.Spatial(0.05, 1, Marginal.SPHERICAL, 150);
        Sites s = new Sites(x, y, new double[n], v);
        ResidualKriging tree = new ResidualKriging(s, DistanceMetric.GREAT_CIRCLE_KM, 1, m, 16, 0, 1, null);
        double[] a = new double[3];
        double[] b = new double[3];
        for (int q = 0; q < 50; q++) {
            double qx = -10 + 5 * r.nextDouble();
            double qy = 50 + 5 * r.nextDouble();
            tree.kriger().krige(qx, qy, 0, true, a);
            // exhaustive: the 16 sites of largest covariance, kriged with the same model
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            java.util.Arrays.sort(idx, (i, j) -> Double.compare(
                    DistanceMetric.GREAT_CIRCLE_KM.distance(qx, qy, x[i], y[i]),
                    DistanceMetric.GREAT_CIRCLE_KM.distance(qx, qy, x[j], y[j])));
            double[] sx = new double[16];
            double[] sy = new double[16];
            double[] sv = new double[16];
            for (int i = 0; i < 16; i++) {
                sx[i] = x[idx[i]];
                sy[i] = y[idx[i]];
                sv[i] = v[idx[i]];
            }
            new ResidualKriging(new Sites(sx, sy, new double[16], sv), DistanceMetric.GREAT_CIRCLE_KM, 1, m, 16, 0, 1,
                    null).kriger().krige(qx, qy, 0, true, b);
            assertEquals(b[0], a[0], 1e-9);
            assertEquals(b[1], a[1], 1e-9);
        }
    }

    /** Places whose residuals spread differently are scaled to unit anomalies, and scaled back. */
    @Test
    void testPlaceScalesStandardizeAndScaleBack() {
        SplittableRandom r = new SplittableRandom(9);
        int days = 400;
        double[] x = new double[2 * days];
        double[] y = new double[2 * days];
        double[] t = new double[2 * days];
        double[] v = new double[2 * days];
        for (int d = 0; d < days; d++) {
            double common = r.nextGaussian();
            x[2 * d] = 0;
            x[2 * d + 1] = 10;
            t[2 * d] = d;
            t[2 * d + 1] = d;
            v[2 * d] = 1.0 * common;
            v[2 * d + 1] = 4.0 * (0.9 * common + 0.1 * r.nextGaussian());
        }
        Sites s = new Sites(x, y, t, v);
        LocationScale ls = LocationScale.fit(s, DistanceMetric.PLANAR);
        assertEquals(2, ls.size());
        // each place's mean square, shrunk towards the overall one by 10 pseudo-observations
        double s0 = 0;
        double s1 = 0;
        for (int d = 0; d < days; d++) {
            s0 += v[2 * d] * v[2 * d];
            s1 += v[2 * d + 1] * v[2 * d + 1];
        }
        double all = (s0 + s1) / (2 * days);
        assertEquals(Math.sqrt((s0 + 10 * all) / (days + 10)), ls.at(0, 0), 1e-12);
        assertEquals(Math.sqrt((s1 + 10 * all) / (days + 10)), ls.at(10, 0), 1e-12);
        assertTrue(ls.at(10, 0) > 3 * ls.at(0, 0));
        // between the two places: inverse-distance-squared mean of the variances
        double mid = ls.at(5, 0);
        assertEquals(Math.sqrt((ls.at(0, 0) * ls.at(0, 0) + ls.at(10, 0) * ls.at(10, 0)) / 2), mid, 1e-12);
        Sites z = ls.standardize(s);
        assertEquals(1.0, z.meanSquare(), 0.2);
        // kriging the big place's value from the small one's on the same day: anomalies are kriged,
        // then multiplied by the big place's scale
        CovarianceModel m = new CovarianceModel.Separable(0.01, 0.99, Marginal.EXPONENTIAL, 100, 0, Marginal.EXPONENTIAL,
                0.3, 0);
        Sites small = new Sites(new double[] {0}, new double[] {0}, new double[] {0}, new double[] {1.5 / ls.at(0, 0)});
        ResidualKriging k = new ResidualKriging(small, DistanceMetric.PLANAR, 1, m, 4, 0, 1, null, ls);
        double[] out = new double[3];
        k.kriger().krige(10, 0, 0, true, out);
        double w = 0.99 * Math.exp(-10 / 100.0) / 1.0;
        assertEquals(ls.at(10, 0) * w * 1.5 / ls.at(0, 0), out[0], 1e-9);
        assertEquals(ls.at(10, 0) * ls.at(10, 0) * (1.0 - w * 0.99 * Math.exp(-10 / 100.0)), out[1], 1e-9);
    }

    /** All residuals zero: a zero pure nugget, and kriging that adds nothing. */
    @Test
    void testAllZeroResidualsKrigeToNothing() {
        Sites s = new Sites(new double[] {0, 1, 2, 0}, new double[] {0, 1, 0, 2}, new double[] {0, 0, 1, 1},
                new double[4]);
        ResidualKriging k = ResidualKriging.fit(s, DistanceMetric.PLANAR, 1, 1, 8, java.util.Set.of(Marginal.EXPONENTIAL),
                true, 1);
        assertEquals(new CovarianceModel.PureNugget(0), k.model());
        double[] out = new double[3];
        k.kriger().krige(0.5, 0.5, 0, true, out);
        assertEquals(0, out[0]);
        assertEquals(0, out[1]);
    }
}
