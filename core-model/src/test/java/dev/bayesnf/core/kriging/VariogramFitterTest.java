package dev.bayesnf.core.kriging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.junit.jupiter.api.Test;

/** Variogram fitting recovers the parameters of simulated Gaussian fields. */
final class VariogramFitterTest {

    /** Lower Cholesky factor of the covariance matrix of points under {@code m} (no time). */
    static DMatrixRMaj choleskyOf(double[] x, double[] y, java.util.function.DoubleUnaryOperator cov, double jitter) {
        int n = x.length;
        DMatrixRMaj k = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k.set(i, j, cov.applyAsDouble(Math.hypot(x[i] - x[j], y[i] - y[j])) + (i == j ? jitter : 0));
            }
        }
        CholeskyDecomposition_F64<DMatrixRMaj> c = DecompositionFactory_DDRM.chol(n, true);
        assertTrue(c.decompose(k));
        return c.getT(null);
    }

    static DMatrixRMaj normals(int rows, int cols, SplittableRandom r) {
        DMatrixRMaj z = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < z.data.length; i++) {
            z.data[i] = r.nextGaussian();
        }
        return z;
    }

    /**
     * Sites of one realization of an exponential field, nugget 0.2, partial sill 0.8, range 1, at
     * {@code n} seeded points of [0, side]².
     */
    static Sites exponentialField(int n, double side, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = side * r.nextDouble();
            y[i] = side * r.nextDouble();
        }
        DMatrixRMaj l = choleskyOf(x, y, h -> 0.8 * Math.exp(-h), 0.2);
        DMatrixRMaj z = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.mult(l, normals(n, 1, r), z);
        return new Sites(x, y, new double[n], z.data.clone());
    }

    /**
     * The exponential field of {@link #exponentialField} on 1200 points of [0, 20]² (the range a
     * twentieth of the square, so that one realization shows its sill): nugget share, sill and
     * range come back.
     */
    @Test
    void testSpatialFitRecoversNuggetSillAndRange() {
        Sites s = exponentialField(1200, 20, 11);
        int n = s.size();
        EmpiricalVariogram ev = EmpiricalVariogram.compute(s, DistanceMetric.PLANAR, 1, 0, 15, 10_000_000, 1);
        assertEquals((long) n * (n - 1) / 2, ev.totalPairs() + pairsBeyond(s.x(), s.y(), ev.cutoff()));
        // the product's default marginal, the exponential (with all marginals this realization
        // is fitted as well by a Matérn 3/2 with a larger nugget)
        VariogramFitter.Fit fit = VariogramFitter.fit(ev, s.meanSquare(), false, java.util.Set.of(Marginal.EXPONENTIAL));
        CovarianceModel m = fit.model();
        assertTrue(m instanceof CovarianceModel.Spatial, m.describe("m"));
        double sill = m.sill();
        double nuggetShare = (sill - m.covariance(1e-9, 0)) / sill;
        assertEquals(0.2, nuggetShare, 0.1, m.describe("m"));
        assertEquals(1.0, sill, 0.15, m.describe("m"));
        // correlation of the structured part at the true range: e^-1
        double rho = m.covariance(1.0, 0) / m.covariance(1e-9, 0);
        assertEquals(Math.exp(-1), rho, 0.12, m.describe("m"));
        assertEquals("nugget", fit.candidates().get(fit.candidates().size() - 1).name());
    }

    /**
     * The spatial sill is fitted, not taken from the values' mean square: the same field fitted
     * with half its mean square as the starting sill comes back to the same fit.
     */
    @Test
    void testSpatialSillIsFitted() {
        Sites s = exponentialField(1200, 20, 11);
        EmpiricalVariogram ev = EmpiricalVariogram.compute(s, DistanceMetric.PLANAR, 1, 0, 15, 10_000_000, 1);
        CovarianceModel full = VariogramFitter.fit(ev, s.meanSquare(), false).model();
        CovarianceModel half = VariogramFitter.fit(ev, s.meanSquare() / 2, false).model();
        assertEquals(full.sill(), half.sill(), 0.02 * full.sill(), half.describe("m") + " vs " + full.describe("m"));
        assertEquals(full.covariance(1.0, 0), half.covariance(1.0, 0), 0.02 * full.sill());
    }

    private static long pairsBeyond(double[] x, double[] y, double cutoff) {
        long c = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                if (Math.hypot(x[i] - x[j], y[i] - y[j]) > cutoff) {
                    c++;
                }
            }
        }
        return c;
    }

    /**
     * Separable field on 50 stations x 120 times: space exponential range 2, time exponential
     * range 3 (time steps), partial sill 0.9, nugget 0.1; simulated as L_s Z L_tᵀ plus noise.
     */
    @Test
    void testSpaceTimeFitRecoversCorrelationInSpaceAndTime() {
        SplittableRandom r = new SplittableRandom(3);
        int ns = 50;
        int nt = 120;
        double[] x = new double[ns];
        double[] y = new double[ns];
        for (int i = 0; i < ns; i++) {
            x[i] = 10 * r.nextDouble();
            y[i] = 10 * r.nextDouble();
        }
        DMatrixRMaj ls = choleskyOf(x, y, h -> Math.exp(-h / 2), 1e-10);
        double[] tt = new double[nt];
        for (int i = 0; i < nt; i++) {
            tt[i] = i;
        }
        DMatrixRMaj lt = choleskyOf(tt, new double[nt], u -> Math.exp(-u / 3), 1e-10);
        DMatrixRMaj tmp = new DMatrixRMaj(ns, nt);
        CommonOps_DDRM.mult(ls, normals(ns, nt, r), tmp);
        DMatrixRMaj f = new DMatrixRMaj(ns, nt);
        CommonOps_DDRM.multTransB(tmp, lt, f);
        int n = ns * nt;
        double[] sx = new double[n];
        double[] sy = new double[n];
        double[] st = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < ns; i++) {
            for (int j = 0; j < nt; j++) {
                int k = i * nt + j;
                sx[k] = x[i];
                sy[k] = y[i];
                st[k] = j;
                v[k] = Math.sqrt(0.9) * f.get(i, j) + Math.sqrt(0.1) * r.nextGaussian();
            }
        }
        Sites s = new Sites(sx, sy, st, v);
        EmpiricalVariogram ev = EmpiricalVariogram.compute(s, DistanceMetric.PLANAR, 1, 10, 15, 5_000_000, 2);
        VariogramFitter.Fit fit = VariogramFitter.fit(ev, s.meanSquare(), true);
        CovarianceModel m = fit.model();
        double c0 = m.sill();
        String d = m.describe("m");
        assertEquals(0.1, (c0 - m.covariance(1e-9, 1e-9)) / c0, 0.07, d);
        // the structured part's correlation at (2, 0) and (0, 3): e^-1 each, e^-2 at (2, 3)
        double c = m.covariance(1e-9, 1e-9);
        assertEquals(Math.exp(-1), m.covariance(2, 0) / c, 0.12, d);
        assertEquals(Math.exp(-1), m.covariance(0, 3) / c, 0.12, d);
        assertEquals(Math.exp(-2), m.covariance(2, 3) / c, 0.1, d);
    }

    /** Values without structure get a pure nugget (or a model that behaves as one). */
    @Test
    void testNoStructureGivesNuggetLikeModel() {
        SplittableRandom r = new SplittableRandom(8);
        int n = 500;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 10 * r.nextDouble();
            y[i] = 10 * r.nextDouble();
            v[i] = r.nextGaussian();
        }
        Sites s = new Sites(x, y, new double[n], v);
        EmpiricalVariogram ev = EmpiricalVariogram.compute(s, DistanceMetric.PLANAR, 1, 0, 15, 10_000_000, 1);
        CovarianceModel m = VariogramFitter.fit(ev, s.meanSquare(), false).model();
        assertTrue(m.covariance(0.7, 0) < 0.1 * m.sill(), m.describe("m"));
    }

    @Test
    void testAllZeroResidualsGiveZeroNugget() {
        Sites s = new Sites(new double[] {0, 1, 2}, new double[] {0, 1, 0}, new double[3], new double[3]);
        EmpiricalVariogram ev = EmpiricalVariogram.compute(s, DistanceMetric.PLANAR, 1, 0, 15, 1000, 1);
        VariogramFitter.Fit fit = VariogramFitter.fit(ev, 0, false);
        assertEquals(new CovarianceModel.PureNugget(0), fit.model());
    }

    @Test
    void testParametersRoundTrip() {
        CovarianceModel[] ms = {new CovarianceModel.PureNugget(2),
            new CovarianceModel.Spatial(0.1, 0.9, Marginal.MATERN_3_2, 3),
            new CovarianceModel.Separable(0.1, 0.9, Marginal.SPHERICAL, 3, 0.2, Marginal.MATERN_5_2, 4, 0.3),
            new CovarianceModel.SumMetric(0.1, 0.2, Marginal.EXPONENTIAL, 3, 0.1, 0.3, Marginal.SPHERICAL, 4, 0.2, 0.4,
                    Marginal.EXPONENTIAL, 5, 6)};
        for (CovarianceModel m : ms) {
            assertEquals(m, CovarianceModel.parse(m.parameters()));
            assertEquals(m.sill(), m.covariance(0, 0), 0);
        }
    }
}
