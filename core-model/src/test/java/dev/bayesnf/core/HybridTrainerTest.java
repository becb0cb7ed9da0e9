package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.compute.JavaBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BayesNF with residual kriging on simulated fields: accuracy, honest uncertainty, fallbacks. */
final class HybridTrainerTest {
    @TempDir
    Path dir;

    /**
     * Stations on [0, 10]², daily values = a smooth trend + a same-day field (exponential in
     * space, range 3, independent between days) + noise: the day's field is what the trend
     * cannot know and the same day's other stations can.
     */
    static DataTable sameDayField(int stations, int days, long seed, double[][] coords) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int s = 0; s < stations; s++) {
            coords[s][0] = 10 * r.nextDouble();
            coords[s][1] = 10 * r.nextDouble();
        }
        double[][] chol = choleskyExp(coords, 3.0);
        int n = stations * days;
        double[] t = new double[n];
        double[] x = new double[n];
        double[] y = new double[n];
        double[] v = new double[n];
        for (int d = 0; d < days; d++) {
            double[] z = new double[stations];
            for (int s = 0; s < stations; s++) {
                z[s] = r.nextGaussian();
            }
            for (int s = 0; s < stations; s++) {
                double f = 0;
                for (int j = 0; j <= s; j++) {
                    f += chol[s][j] * z[j];
                }
                int i = d * stations + s;
                t[i] = d;
                x[i] = coords[s][0];
                y[i] = coords[s][1];
                v[i] = 0.3 * coords[s][0] + Math.sin(coords[s][1] / 2) + 1.5 * f + 0.2 * r.nextGaussian();
            }
        }
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("t", t);
        cols.put("x", x);
        cols.put("y", y);
        cols.put("v", v);
        return DataTable.ofNumbers("simulated", cols);
    }

    static double[][] choleskyExp(double[][] p, double range) {
        int n = p.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = Math.exp(-Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]) / range) + (i == j ? 1e-9 : 0);
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        return l;
    }

    /**
     * n stations uniform on [0, width] x [0, 10] (x, y) and v = value(f) of a zero-mean,
     * unit-variance Gaussian field f with exponential covariance of range 2 at them ({@code value}
     * may draw from {@code r}, after the field).
     */
    static DataTable spatialTable(SplittableRandom r, int n, double width, java.util.function.DoubleUnaryOperator value) {
        double[][] p = new double[n][2];
        for (int i = 0; i < n; i++) {
            p[i][0] = width * r.nextDouble();
            p[i][1] = 10 * r.nextDouble();
        }
        double[] f = exponentialField(p, 2.0, r);
        double[] x = new double[n];
        double[] y = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = p[i][0];
            y[i] = p[i][1];
            v[i] = value.applyAsDouble(f[i]);
        }
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("x", x);
        cols.put("y", y);
        cols.put("v", v);
        return DataTable.ofNumbers("field", cols);
    }

    /** A zero-mean, unit-variance Gaussian field with exponential covariance of {@code range} at the points {@code p}. */
    static double[] exponentialField(double[][] p, double range, SplittableRandom r) {
        int n = p.length;
        double[][] l = choleskyExp(p, range);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = r.nextGaussian();
        }
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                f[i] += l[i][j] * z[j];
            }
        }
        return f;
    }

    private static DataTable rows(DataTable t, java.util.function.IntPredicate keep) {
        return t.subset(java.util.stream.IntStream.range(0, t.rows()).filter(keep).toArray());
    }

    /** The hybrid is never worse than BayesNF alone where same-day information exists. */
    @Test
    void testHybridBeatsBayesnfAloneWithSameDayStructure() {
        double[][] coords = new double[24][2];
        DataTable all = sameDayField(24, 40, 7, coords);
        // test: stations 0-3 on the last 10 days; train: everything else
        java.util.function.IntPredicate test = i -> i % 24 < 4 && i / 24 >= 30;
        DataTable train = rows(all, test.negate());
        DataTable held = rows(all, test);
        ModelSpec spec = new ModelSpec("v", "t", null, List.of("x", "y"), List.of("x", "y"), List.of(), List.of(),
                List.of(1, 1, 1), List.of(), 16, 2, ObservationModel.NORMAL, TargetScaling.STANDARD);
        TrainConfig config = new TrainConfig(Estimator.MAP, 4, 160, 0, 0.01, 0, 0.1, 5, 30, 1);
        Georeference geo = new Georeference("x", "y", "EPSG:32631", 0, 0, 10, 10);
        HybridTrainer ht = new HybridTrainer(new JavaBackend(), 1);
        BayesNFModel hybrid = ht.fit(train, spec, config, geo, HybridTrainer.Options.defaults().withMaxLag(5), null);
        assertTrue(hybrid.residualKriging().isPresent());
        assertEquals("yes", hybrid.provenance().get("residual.kriging"));
        double[] levels = {0.025, 0.975};
        Prediction ph = new BayesNFPredictor(new JavaBackend(), 1).predict(hybrid, held, levels);
        Prediction pa = new BayesNFPredictor(new JavaBackend(), 1, false).predict(hybrid, held, levels);
        double[] v = held.numeric("v", false);
        double maeH = 0;
        double maeA = 0;
        int covered = 0;
        for (int i = 0; i < v.length; i++) {
            maeH += Math.abs(v[i] - ph.mean()[i]);
            maeA += Math.abs(v[i] - pa.mean()[i]);
            covered += v[i] >= ph.quantiles()[0][i] && v[i] <= ph.quantiles()[1][i] ? 1 : 0;
        }
        assertTrue(maeH < 0.75 * maeA, "hybrid MAE " + maeH / v.length + ", alone " + maeA / v.length);
        assertTrue(covered >= 0.85 * v.length, "coverage " + (double) covered / v.length);
    }

    /**
     * A purely spatial isotropic field from 60 stations: away from the stations the 95% interval
     * widens (kriging variance), so interval width grows with distance to the nearest station.
     */
    @Test
    void testIntervalWidensWithDistanceToNearestStation() {
        SplittableRandom r = new SplittableRandom(21);
        int n = 60;
        // stations in the left half only, so the right half is far from data
        DataTable train = spatialTable(r, n, 5, f -> 10 + 2 * f + 0.1 * r.nextGaussian());
        double[] x = train.numeric("x", false);
        double[] y = train.numeric("y", false);
        double[] v = train.numeric("v", false);
        ModelSpec spec = new ModelSpec("v", null, null, List.of("x", "y"), List.of("x", "y"), List.of(), List.of(),
                List.of(0, 0), List.of(), 16, 2, ObservationModel.NORMAL, TargetScaling.STANDARD);
        TrainConfig config = new TrainConfig(Estimator.MAP, 4, 400, 0, 0.01, 0, 0.1, 5, 30, 1);
        BayesNFModel m = new HybridTrainer(new JavaBackend(), 1).fit(train, spec, config,
                new Georeference("x", "y", "EPSG:32631", 0, 0, 5, 10), HybridTrainer.Options.defaults(), null);
        // purely spatial: ordinary kriging is a candidate beside simple kriging, by the one-SE rule
        assertEquals("one-se", m.provenance().get("cv.rule"));
        assertEquals(m.provenance().get("cv.rmse.hybrid.by.epochs").split(",").length,
                m.provenance().get("cv.rmse.hybrid.ordinary.by.epochs").split(",").length);
        assertEquals(m.residualKriging().orElseThrow().ordinary() ? "ordinary" : "simple",
                m.provenance().get("kriging.type"));
        // kriging alone is calibrated over 11 deals of the places into folds, the trained trends
        // over the one they were trained on; deal 0 is that one (its kriging alone recomputed gives
        // the constant candidate's cross-validated error)
        int chosen = Integer.parseInt(m.provenance().get("cv.epochs.chosen"));
        assertEquals(chosen == 0 ? "11" : "1", m.provenance().get("cv.calibration.deals"), m.provenance().toString());
        HybridLayout at = HybridLayout.of(TrainingSet.of(spec, train), m.georeference().orElseThrow(),
                HybridTrainer.Options.defaults());
        double[][] alone = KrigingAlone.predict(at, HybridTrainer.Options.defaults(),
                KrigingAlone.deal(at.ngroups(), 5, 0, 0), 5, 0, false, null);
        double sse = 0;
        for (int i = 0; i < n; i++) {
            sse += (v[i] - alone[0][i]) * (v[i] - alone[0][i]);
        }
        assertEquals(m.provenance().get("cv.rmse.hybrid.by.epochs").split(",")[0],
                HybridCrossValidation.fmt(Math.sqrt(sse / n)));
        // a transect at y = 5 from inside the stations to far outside
        int k = 40;
        double[] qx = new double[k];
        double[] qy = new double[k];
        for (int i = 0; i < k; i++) {
            qx[i] = 0.25 * i;
            qy[i] = 5;
        }
        Map<String, double[]> q = new LinkedHashMap<>();
        q.put("x", qx);
        q.put("y", qy);
        Prediction pr = new BayesNFPredictor(new JavaBackend(), 1).predict(m, DataTable.ofNumbers("transect", q),
                new double[] {0.025, 0.975});
        double[] width = new double[k];
        double[] dist = new double[k];
        for (int i = 0; i < k; i++) {
            width[i] = pr.quantiles()[1][i] - pr.quantiles()[0][i];
            dist[i] = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                dist[i] = Math.min(dist[i], Math.hypot(qx[i] - x[j], qy[i] - y[j]));
            }
        }
        // rank correlation: the width keeps rising until the kriging variance reaches the sill
        assertTrue(correlation(ranks(dist), ranks(width)) > 0.5, "rank correlation "
                + correlation(ranks(dist), ranks(width)) + "\nwidths " + java.util.Arrays.toString(width) + "\ndist " + java.util.Arrays.toString(dist));
        double near = 0;
        double far = 0;
        int nn = 0;
        int nf = 0;
        for (int i = 0; i < k; i++) {
            if (dist[i] < 0.25) {
                near += width[i];
                nn++;
            } else if (dist[i] > 3) {
                far += width[i];
                nf++;
            }
        }
        assertTrue(nn > 3 && nf > 3, nn + " near, " + nf + " far");
        assertTrue(far / nf > 1.3 * near / nn, "far " + far / nf + ", near " + near / nn);
    }

    static double[] ranks(double[] a) {
        Integer[] idx = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (i, j) -> Double.compare(a[i], a[j]));
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[idx[i]] = i;
        }
        return r;
    }

    static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** One station: no location-wise folds, but time blocks still cross-validate; it predicts. */
    @Test
    void testSingleStationFallsBackToTimeBlocks() {
        double[][] c = new double[1][2];
        DataTable one = sameDayField(1, 80, 3, c);
        ModelSpec spec = new ModelSpec("v", "t", null, List.of("x", "y"), List.of(), List.of(), List.of(),
                List.of(1, 0, 0), List.of(), 8, 1, ObservationModel.NORMAL, TargetScaling.STANDARD);
        TrainConfig config = new TrainConfig(Estimator.MAP, 2, 40, 0, 0.01, 0, 0.1, 5, 30, 1);
        Georeference geo = new Georeference("x", "y", "EPSG:32631", c[0][0], c[0][1], c[0][0], c[0][1]);
        BayesNFModel m = new HybridTrainer(new JavaBackend(), 1).fit(one, spec, config, geo,
                HybridTrainer.Options.defaults().withMaxLag(5), null);
        assertEquals("1", m.provenance().get("cv.locations"));
        assertEquals("5", m.provenance().get("cv.folds"));
        BayesNFModel noBlocks = new HybridTrainer(new JavaBackend(), 1).fit(one, spec, config, geo,
                HybridTrainer.Options.defaults().withMaxLag(5).withTimeBlocks(1), null);
        assertEquals("0", noBlocks.provenance().get("cv.folds"));
        assertTrue(noBlocks.provenance().get("cv.note").contains("fewer than 3"), noBlocks.provenance().get("cv.note"));
        Prediction p = new BayesNFPredictor(new JavaBackend(), 1).predict(noBlocks, one, new double[] {0.5});
        for (double v : p.mean()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void testResidualKrigingNeedsCoordinatesAndNormalLikelihood() {
        DataTable t = ModelFileTest.syntheticTable(60, 1);
        TrainConfig config = new TrainConfig(Estimator.MAP, 2, 5, 0, 0.01, 0, 0.1, 5, 30, 1);
        HybridTrainer ht = new HybridTrainer(new JavaBackend(), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ht.fit(t, ModelFileTest.spec(), config, null, HybridTrainer.Options.defaults(), null));
        assertTrue(e.getMessage().contains("coordinate"), e.getMessage());
        ModelSpec nb = new ModelSpec("y", "t", null, List.of("lat", "lon"), List.of("lat", "lon"), List.of(), List.of(),
                List.of(), List.of(), 8, 1, ObservationModel.NB);
        Georeference geo = new Georeference("lon", "lat", "EPSG:4326", -5, 40, -3, 43);
        e = assertThrows(IllegalArgumentException.class,
                () -> ht.fit(t, nb, config, geo, HybridTrainer.Options.defaults(), null));
        assertTrue(e.getMessage().contains("normal likelihood"), e.getMessage());
        BayesNFModel alone = ht.fit(t, ModelFileTest.spec(), config, geo, HybridTrainer.Options.off(), null);
        assertFalse(alone.residualKriging().isPresent());
        assertEquals("no", alone.provenance().get("residual.kriging"));
    }

    /** A bad value in a row is reported with its line before any fold is trained. */
    @Test
    void testDataErrorsNameTheLineBeforeTraining() {
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("x", new String[] {"0", "1", "2", "3", "oops", "5"});
        cols.put("y", new String[] {"0", "1", "0", "1", "0", "1"});
        cols.put("v", new String[] {"1", "2", "3", "4", "5", "6"});
        DataTable t = new DataTable("bad.csv", 2, cols);
        ModelSpec spec = new ModelSpec("v", null, null, List.of("x", "y"), List.of("x", "y"), List.of(), List.of(),
                List.of(), List.of(), 4, 1, ObservationModel.NORMAL, TargetScaling.STANDARD);
        DataException e = assertThrows(DataException.class, () -> new HybridTrainer(new JavaBackend(), 1).fit(t, spec,
                new TrainConfig(Estimator.MAP, 1, 2, 0, 0.01, 0, 0.1, 5, 30, 1),
                new Georeference("x", "y", "EPSG:32631", 0, 0, 5, 1), HybridTrainer.Options.defaults(), null));
        assertTrue(e.getMessage().contains("line 6"), e.getMessage());
    }

    /** A small, quickly fitted hybrid (2 members, 16 epochs) of a same-day field table. */
    private static BayesNFModel smallHybrid(DataTable t) {
        ModelSpec spec = new ModelSpec("v", "t", null, List.of("x", "y"), List.of("x", "y"), List.of(), List.of(),
                List.of(1, 1, 1), List.of(), 8, 1, ObservationModel.NORMAL, TargetScaling.STANDARD);
        TrainConfig config = new TrainConfig(Estimator.MAP, 2, 16, 0, 0.01, 0, 0.1, 5, 30, 1);
        return new HybridTrainer(new JavaBackend(), 1).fit(t, spec, config,
                new Georeference("x", "y", "EPSG:32631", 0, 0, 10, 10), HybridTrainer.Options.defaults().withMaxLag(5),
                null);
    }

    @Test
    void testModelFileKeepsTheKriging() throws IOException {
        DataTable t = sameDayField(12, 20, 4, new double[12][2]);
        BayesNFModel m = smallHybrid(t);
        Path f = dir.resolve("hybrid.bnf");
        ModelFile.save(m, f);
        BayesNFModel back = ModelFile.load(f);
        assertEquals(m.residualKriging().orElseThrow().model(), back.residualKriging().orElseThrow().model());
        assertEquals(m.residualKriging().orElseThrow().sites(), back.residualKriging().orElseThrow().sites());
        assertEquals(m.residualKriging().orElseThrow().calibration(), back.residualKriging().orElseThrow().calibration());
        assertTrue(m.residualKriging().orElseThrow().recalibration().isPresent());
        assertEquals(m.residualKriging().orElseThrow().recalibration(), back.residualKriging().orElseThrow().recalibration());
        assertFalse(back.residualKriging().orElseThrow().ordinary());
        double[] levels = {0.1, 0.9};
        Prediction a = new BayesNFPredictor(new JavaBackend(), 1).predict(m, t, levels);
        Prediction b = new BayesNFPredictor(new JavaBackend(), 1).predict(back, t, levels);
        for (int i = 0; i < t.rows(); i++) {
            assertEquals(a.mean()[i], b.mean()[i], 0);
            assertEquals(a.quantiles()[1][i], b.quantiles()[1][i], 0);
        }
        // ordinary kriging is kept too, and predicts otherwise than simple kriging
        BayesNFModel ok = m.withResidualKriging(m.residualKriging().orElseThrow().withOrdinary(true));
        ModelFile.save(ok, f);
        BayesNFModel okBack = ModelFile.load(f);
        assertTrue(okBack.residualKriging().orElseThrow().ordinary());
        Prediction c = new BayesNFPredictor(new JavaBackend(), 1).predict(ok, t, levels);
        Prediction d = new BayesNFPredictor(new JavaBackend(), 1).predict(okBack, t, levels);
        double differ = 0;
        for (int i = 0; i < t.rows(); i++) {
            assertEquals(c.mean()[i], d.mean()[i], 0);
            differ = Math.max(differ, Math.abs(c.mean()[i] - a.mean()[i]));
        }
        assertTrue(differ > 0, "ordinary kriging predicts otherwise than simple kriging");
    }

    /**
     * Data with time get a second hybrid, cross-validated by whole places, for places the training
     * never observed: rows at the training's places are predicted by the first, the others by the
     * second, row by row in one table, and the model file keeps both.
     */
    @Test
    void testNewPlacesHaveTheirOwnHybrid() throws IOException {
        DataTable t = sameDayField(12, 20, 4, new double[12][2]);
        BayesNFModel m = smallHybrid(t);
        NewPlacesHybrid np = m.newPlaces().orElseThrow();
        Map<String, String> p = m.provenance();
        assertTrue(p.get("kriging.new.places").startsWith("yes"), p.toString());
        assertEquals("5", p.get("cv.new.places.folds"));
        assertTrue(p.containsKey("cv.new.places.epochs.chosen") && p.containsKey("kriging.new.places.calibration"),
                p.toString());
        BayesNFModel observedOnly = m.withResidualKriging(m.residualKriging().orElseThrow(),
                m.trendComponents().orElse(null));
        BayesNFModel newOnly = m.withResidualKriging(np.kriging(), np.trend());
        assertTrue(observedOnly.newPlaces().isEmpty());
        // a table whose even rows are training rows and odd rows the same rows moved off their place
        double[] x = t.numeric("x", false).clone();
        for (int i = 1; i < x.length; i += 2) {
            x[i] += 0.37;
        }
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("t", t.numeric("t", false));
        cols.put("x", x);
        cols.put("y", t.numeric("y", false));
        DataTable mixed = DataTable.ofNumbers("mixed", cols);
        double[] levels = {0.05, 0.95};
        BayesNFPredictor pr = new BayesNFPredictor(new JavaBackend(), 1);
        Prediction both = pr.predict(m, mixed, levels);
        Prediction atObserved = pr.predict(observedOnly, mixed, levels);
        Prediction atNew = pr.predict(newOnly, mixed, levels);
        double differ = 0;
        for (int i = 0; i < mixed.rows(); i++) {
            Prediction want = i % 2 == 0 ? atObserved : atNew;
            assertEquals(want.mean()[i], both.mean()[i], 0, "row " + i);
            assertEquals(want.quantiles()[0][i], both.quantiles()[0][i], 0, "row " + i);
            assertEquals(want.quantiles()[1][i], both.quantiles()[1][i], 0, "row " + i);
            differ = Math.max(differ, Math.abs((atObserved.quantiles()[1][i] - atObserved.quantiles()[0][i])
                    - (atNew.quantiles()[1][i] - atNew.quantiles()[0][i])));
        }
        assertTrue(differ > 0, "the two hybrids predict differently (their calibrations differ)");
        Path f = dir.resolve("new-places.bnf");
        ModelFile.save(m, f);
        BayesNFModel back = ModelFile.load(f);
        assertEquals(np.kriging().calibration(), back.newPlaces().orElseThrow().kriging().calibration());
        assertEquals(np.kriging().scale().isPresent(), back.newPlaces().orElseThrow().kriging().scale().isPresent());
        Prediction again = pr.predict(back, mixed, levels);
        for (int i = 0; i < mixed.rows(); i++) {
            assertEquals(both.mean()[i], again.mean()[i], 0);
            assertEquals(both.quantiles()[1][i], again.quantiles()[1][i], 0);
        }
        // the place scale: fixed at observed places, chosen by the cross-validation by whole places
        assertEquals("yes", p.get("kriging.place.scale"));
        assertTrue(m.residualKriging().orElseThrow().scale().isPresent());
        assertFalse(p.containsKey("cv.rmse.hybrid.unscaled.by.epochs"), p.toString());
        assertEquals(np.kriging().scale().isPresent() ? "yes" : "no", p.get("kriging.new.places.place.scale"));
        // asked not to, or with whole places as the only design, there is one hybrid
        ModelSpec spec = m.spec();
        TrainConfig config = m.config();
        Georeference geo = m.georeference().orElseThrow();
        HybridTrainer ht = new HybridTrainer(new JavaBackend(), 1);
        BayesNFModel off = ht.fit(t, spec, config, geo, HybridTrainer.Options.defaults().withMaxLag(5)
                .withNewPlaces(false), null);
        assertTrue(off.newPlaces().isEmpty());
        assertEquals("no (not asked for)", off.provenance().get("kriging.new.places"));
        BayesNFModel whole = ht.fit(t, spec, config, geo, HybridTrainer.Options.defaults().withMaxLag(5)
                .withTimeBlocks(1), null);
        assertTrue(whole.newPlaces().isEmpty());
        assertEquals("no (the cross-validation holds out whole places already)",
                whole.provenance().get("kriging.new.places"));
    }

    /**
     * Where the cross-validation holds out whole places, the residuals with and without the place
     * scale are candidates alike: under the lowest-error rule the hybrid at new places is the
     * candidate of lowest error over all four kinds (simple or ordinary, scaled or not).
     */
    @Test
    void testNewPlacesChooseThePlaceScaleByCrossValidation() {
        DataTable t = sameDayField(12, 20, 4, new double[12][2]);
        BayesNFModel ref = smallHybrid(t);
        BayesNFModel m = new HybridTrainer(new JavaBackend(), 1).fit(t, ref.spec(), ref.config(),
                ref.georeference().orElseThrow(), HybridTrainer.Options.defaults().withMaxLag(5)
                        .withRule(HybridTrainer.CvRule.MIN), null);
        Map<String, String> p = m.provenance();
        double lowest = Double.POSITIVE_INFINITY;
        String lowestKind = null;
        for (String kind : List.of("hybrid", "hybrid.ordinary", "hybrid.unscaled", "hybrid.ordinary.unscaled")) {
            String v = p.get("cv.new.places.rmse." + kind + ".by.epochs");
            assertNotNull(v, kind + " in " + p);
            for (String e : v.split(",")) {
                if (Double.parseDouble(e) < lowest) {
                    lowest = Double.parseDouble(e);
                    lowestKind = kind;
                }
            }
        }
        assertEquals(lowest, Double.parseDouble(p.get("cv.new.places.rmse.hybrid")), 1e-5 * lowest);
        boolean scaled = !lowestKind.endsWith("unscaled");
        assertEquals(scaled ? "yes" : "no", p.get("kriging.new.places.place.scale"), lowestKind);
        assertEquals(scaled, m.newPlaces().orElseThrow().kriging().scale().isPresent());
        // and asked for no place scale at all, no candidate has one
        BayesNFModel plain = new HybridTrainer(new JavaBackend(), 1).fit(t, ref.spec(), ref.config(),
                ref.georeference().orElseThrow(), HybridTrainer.Options.defaults().withMaxLag(5)
                        .withPlaceScale(false), null);
        assertEquals("no", plain.provenance().get("kriging.new.places.place.scale"));
        assertFalse(plain.provenance().containsKey("cv.new.places.rmse.hybrid.unscaled.by.epochs"));
    }

    /**
     * A right-skewed field (the exponential of a Gaussian field, as concentrations are): the
     * normal kriging error puts too many held-out values above the 97.5% quantile; the levels
     * recalibrated by the cross-validation's PIT values bring the tails closer to their share.
     */
    @Test
    void testRecalibratedQuantilesKeepTheirCoverageOnASkewedField() {
        SplittableRandom r = new SplittableRandom(5);
        DataTable all = spatialTable(r, 420, 10, f -> Math.exp(1 + 0.8 * f + 0.4 * r.nextGaussian()));
        DataTable train = rows(all, i -> i < 120);
        DataTable test = rows(all, i -> i >= 120);
        ModelSpec spec = new ModelSpec("v", null, null, List.of("x", "y"), List.of("x", "y"), List.of(), List.of(),
                List.of(0, 0), List.of(), 8, 2, ObservationModel.NORMAL, TargetScaling.STANDARD);
        TrainConfig config = new TrainConfig(Estimator.MAP, 2, 40, 0, 0.01, 0, 0.1, 5, 30, 1);
        Georeference geo = new Georeference("x", "y", "EPSG:32631", 0, 0, 10, 10);
        HybridTrainer ht = new HybridTrainer(new JavaBackend(), 1);
        double[] levels = {0.025, 0.975};
        double[] tails = new double[4];
        for (int k = 0; k < 2; k++) {
            BayesNFModel m = ht.fit(train, spec, config, geo, HybridTrainer.Options.defaults().withRecalibrate(k == 0),
                    null);
            assertEquals(k == 0, m.residualKriging().orElseThrow().recalibration().isPresent());
            Prediction pr = new BayesNFPredictor(new JavaBackend(), 1).predict(m, test, levels);
            double[] obs = test.numeric("v", false);
            for (int i = 0; i < obs.length; i++) {
                tails[2 * k] += obs[i] < pr.quantiles()[0][i] ? 1.0 / obs.length : 0;
                tails[2 * k + 1] += obs[i] > pr.quantiles()[1][i] ? 1.0 / obs.length : 0;
            }
        }
        String msg = "below 2.5% / above 97.5%: recalibrated " + tails[0] + " / " + tails[1] + ", normal " + tails[2]
                + " / " + tails[3];
        System.out.println("HybridTrainerTest, skewed field, held-out share " + msg);
        assertTrue(tails[3] > 0.04, "the normal error misses the upper tail: " + msg);
        assertTrue(Math.abs(tails[1] - 0.025) < Math.abs(tails[3] - 0.025), msg);
        assertTrue(Math.abs(tails[0] + tails[1] - 0.05) < Math.abs(tails[2] + tails[3] - 0.05), msg);
    }

    /**
     * The paired one-standard-error test: an excess within its standard error over the units
     * passes, a consistent excess does not, and a single unit is never enough to tell.
     */
    @Test
    void testOneStandardErrorRule() {
        double[] best = {10, 10, 10, 10};
        // excess 1, 3, -1, 1: mean 1, sd 1.633, SE 0.816 -> not within
        assertFalse(HybridTrainer.withinOneStandardError(new double[] {11, 13, 9, 11}, best));
        // excess 2, -2, 2, -1: mean 0.25, sd 2.06, SE 1.03 -> within
        assertTrue(HybridTrainer.withinOneStandardError(new double[] {12, 8, 12, 9}, best));
        // the same values: within
        assertTrue(HybridTrainer.withinOneStandardError(best.clone(), best));
        assertFalse(HybridTrainer.withinOneStandardError(new double[] {10}, new double[] {10}));
        assertEquals(HybridTrainer.CvRule.MIN, HybridTrainer.CvRule.parse(" MIN "));
        assertEquals(HybridTrainer.CvRule.ONE_STANDARD_ERROR, HybridTrainer.CvRule.parse("one-se"));
        assertThrows(IllegalArgumentException.class, () -> HybridTrainer.CvRule.parse("best"));
    }

    /**
     * A constant trend (what the cross-validation picks when no trained trend beats the mean):
     * predictions are the constant plus the kriged residual, whatever the network says, the
     * model file keeps it, and without kriging the network predicts alone.
     */
    @Test
    void testConstantTrendPredictsTheMeanPlusTheKrigedResidual() throws IOException {
        DataTable t = sameDayField(12, 20, 4, new double[12][2]);
        BayesNFModel fitted = smallHybrid(t);
        assertTrue(fitted.provenance().get("cv.epochs.candidates").startsWith("0,"));
        // the median is the mean with the normal error's levels (no recalibration)
        var rk = fitted.residualKriging().orElseThrow().withConstantTrend(0.25).withFallback(Double.NaN)
                .withRecalibration(null);
        BayesNFModel m = fitted.withResidualKriging(rk);
        Path f = dir.resolve("constant.bnf");
        ModelFile.save(m, f);
        BayesNFModel back = ModelFile.load(f);
        assertEquals(0.25, back.residualKriging().orElseThrow().constantTrend().orElseThrow(), 0);
        Prediction p = new BayesNFPredictor(new JavaBackend(), 1).predict(back, t, new double[] {0.5});
        Prediction alone = new BayesNFPredictor(new JavaBackend(), 1, false).predict(back, t, new double[] {0.5});
        var kr = rk.kriger();
        double[] out = new double[3];
        double[] tt = t.numeric("t", false);
        double[] xx = t.numeric("x", false);
        double[] yy = t.numeric("y", false);
        double differ = 0;
        for (int i = 0; i < t.rows(); i++) {
            kr.krige(xx[i], yy[i], tt[i], true, out);
            double expected = back.stats().unscaleTarget(0.25 + out[0]);
            assertEquals(expected, p.mean()[i], 1e-9);
            assertEquals(expected, p.quantiles()[0][i], 1e-4 * back.stats().targetStd());
            differ = Math.max(differ, Math.abs(alone.mean()[i] - expected));
        }
        assertTrue(differ > 1e-3, "without kriging the network predicts, not the constant");
        assertThrows(IllegalArgumentException.class, () -> rk.withConstantTrend(Double.NaN));
    }

    /**
     * The network of a hybrid is BayesNF alone as configured (all the epochs, whatever the
     * cross-validation chose for the trend): the same parameters as a plain fit.
     */
    @Test
    void testHybridNetworkIsBayesnfAloneAsConfigured() {
        DataTable t = sameDayField(12, 20, 4, new double[12][2]);
        BayesNFModel m = smallHybrid(t);
        ModelSpec spec = m.spec();
        BayesNFModel plain = new BayesNFTrainer(new JavaBackend()).fit(t, spec, m.config(), null);
        assertEquals(16, m.config().epochs());
        for (int c = 0; c < plain.componentCount(); c++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(plain.components()[c], m.components()[c]);
        }
        int chosen = Integer.parseInt(m.provenance().get("cv.epochs.chosen"));
        assertEquals(chosen > 0 && chosen < 16, m.trendComponents().isPresent(), m.provenance().toString());
        assertEquals(chosen < 16, m.residualKriging().orElseThrow().fallback().isPresent(), m.provenance().toString());
    }

    /**
     * With a fallback, outside the training period the prediction is the mixture of the hybrid
     * (weight 1 − ρ^p) and BayesNF alone: its mean the weighted means; past the kriging window in
     * time, BayesNF alone exactly; inside the period, the hybrid alone. The model file keeps the
     * fallback and the trend network.
     */
    @Test
    void testFallbackMovesToBayesnfAloneAwayFromTheData() throws IOException {
        DataTable t = sameDayField(12, 20, 4, new double[12][2]);
        BayesNFModel fitted = smallHybrid(t);
        float[][] trend = fitted.components();
        for (float[] c : trend) {
            c[FeatureLayout.NU] += 0.5f; // another network than the model's
        }
        var rk = fitted.residualKriging().orElseThrow().withConstantTrend(0.25).withFallback(1);
        BayesNFModel m = fitted.withResidualKriging(rk, trend);
        Path f = dir.resolve("fallback.bnf");
        ModelFile.save(m, f);
        BayesNFModel back = ModelFile.load(f);
        assertEquals(1, back.residualKriging().orElseThrow().fallback().orElseThrow(), 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(trend[1], back.trendComponents().orElseThrow()[1]);
        // the places of day 19 (the last day) on day 19, day 20 (past the period, within reach)
        // and day 1019 (past the window)
        int[] last = java.util.stream.IntStream.range(0, t.rows()).filter(i -> t.numeric("t", false)[i] == 19)
                .toArray();
        DataTable inside = t.subset(last);
        DataTable near = shifted(inside, 1);
        DataTable later = shifted(inside, 1000);
        double[] levels = {0.05, 0.5, 0.95};
        BayesNFPredictor hybrid = new BayesNFPredictor(new JavaBackend(), 1);
        BayesNFPredictor alone = new BayesNFPredictor(new JavaBackend(), 1, false);
        Prediction pf = hybrid.predict(back, later, levels);
        Prediction af = alone.predict(back, later, levels);
        for (int i = 0; i < later.rows(); i++) {
            assertEquals(af.mean()[i], pf.mean()[i], 1e-9);
            for (int q = 0; q < levels.length; q++) {
                assertEquals(af.quantiles()[q][i], pf.quantiles()[q][i], 1e-9 * back.stats().targetStd());
            }
        }
        Prediction pn = hybrid.predict(back, near, levels);
        Prediction an = alone.predict(back, near, levels);
        var kr = rk.kriger();
        double[] out = new double[4];
        double blended = 0;
        Prediction pi = hybrid.predict(back, inside, levels);
        for (int i = 0; i < inside.rows(); i++) {
            kr.krige(inside.numeric("x", false)[i], inside.numeric("y", false)[i], 19, true, out);
            assertEquals(back.stats().unscaleTarget(0.25 + out[0]), pi.mean()[i], 1e-9, "inside the period: the hybrid");
        }
        for (int i = 0; i < near.rows(); i++) {
            kr.krige(near.numeric("x", false)[i], near.numeric("y", false)[i], 20, true, out);
            double w = 1 - out[3];
            assertTrue(w > 0 && w < 1, "w " + w);
            double expected = w * back.stats().unscaleTarget(0.25 + out[0]) + (1 - w) * an.mean()[i];
            assertEquals(expected, pn.mean()[i], 1e-6 * back.stats().targetStd());
            assertTrue(pn.quantiles()[0][i] < pn.quantiles()[1][i] && pn.quantiles()[1][i] < pn.quantiles()[2][i]);
            blended = Math.max(blended, Math.abs(pn.mean()[i] - an.mean()[i]));
        }
        assertTrue(blended > 1e-3, "near the data the hybrid counts");
    }

    /** The table's rows {@code days} later. */
    private static DataTable shifted(DataTable t, int days) {
        Map<String, double[]> cols = new LinkedHashMap<>();
        double[] d = t.numeric("t", false).clone();
        java.util.Arrays.setAll(d, i -> d[i] + days);
        cols.put("t", d);
        cols.put("x", t.numeric("x", false));
        cols.put("y", t.numeric("y", false));
        return DataTable.ofNumbers("shifted", cols);
    }
}
