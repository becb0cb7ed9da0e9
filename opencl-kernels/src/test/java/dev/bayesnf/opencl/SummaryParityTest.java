package dev.bayesnf.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFPredictor;
import dev.bayesnf.core.BayesNFTrainer;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.Estimator;
import dev.bayesnf.core.ModelSpec;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.Prediction;
import dev.bayesnf.core.TrainConfig;
import dev.bayesnf.core.compute.JavaBackend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Prediction summaries on the device (mixture mean and quantiles by Chandrupatla's root finding in
 * float, {@link NetworkKernel#summary}) against the Java predictor (double) for one model per
 * likelihood, trained briefly on the Java backend.
 *
 * <p>Tolerances. Means: float against double sums of K component means, relative 1e-5. NORMAL
 * quantiles: both root finders stop when the mixture CDF is within 1e-5 of the level, so the roots
 * may differ by up to about 2e-5 / density; the test allows 2e-3 (1 + |q|). Count quantiles are
 * ceiled to integers: a root within tolerance of an integer may ceil either way, so they may differ
 * by 1, and at least 95% must be equal (measured: all equal or a handful off by one).
 */
final class SummaryParityTest {
    private static final double[] LEVELS = {0.025, 0.1, 0.5, 0.9, 0.975};

    static DataTable table(ObservationModel lik, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] t = new double[n];
        double[] lat = new double[n];
        double[] lon = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % 24;
            lat[i] = 40 + 3 * r.nextDouble();
            lon[i] = -5 + 2 * r.nextDouble();
            double m = 5 + 3 * Math.sin(2 * Math.PI * t[i] / 12) + (lat[i] - 41.5);
            y[i] = lik == ObservationModel.NORMAL ? m + 0.3 * r.nextGaussian()
                    : (lik == ObservationModel.ZINB && r.nextDouble() < 0.3) ? 0 : Math.max(0, Math.round(m + r.nextGaussian() * Math.sqrt(m)));
        }
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("t", t);
        cols.put("lat", lat);
        cols.put("lon", lon);
        cols.put("y", y);
        return DataTable.ofNumbers("synthetic", cols);
    }

    @Test
    void testDeviceSummaryMatchesJavaPredictor() {
        OpenClBackend cl = OpenClAssumptions.backend();
        for (ObservationModel lik : ObservationModel.values()) {
            DataTable table = table(lik, 300, 5);
            ModelSpec spec = new ModelSpec("y", "t", null, List.of("lat", "lon"), List.of("lat", "lon"), List.of("12"),
                    List.of(2), List.of(), List.of(), 16, 2, lik);
            TrainConfig config = TrainConfig.defaults(Estimator.MAP).withEnsemble(4).withEpochs(40).withBatch(100)
                    .withThreads(1);
            BayesNFModel model = new BayesNFTrainer(new JavaBackend()).fit(table, spec, config, null);
            Prediction pj = new BayesNFPredictor(new JavaBackend(), 1).predict(model, table, LEVELS);
            Prediction pc = new BayesNFPredictor(cl, 1).predict(model, table, LEVELS);
            double worstMean = 0;
            double worstQ = 0;
            int equal = 0;
            int total = 0;
            for (int i = 0; i < pj.mean().length; i++) {
                double m = pj.mean()[i];
                worstMean = Math.max(worstMean, Math.abs(pc.mean()[i] - m) / Math.max(1e-6, Math.abs(m)));
                assertEquals(m, pc.mean()[i], 1e-5 * Math.abs(m) + 1e-6, lik + " mean of row " + i);
                for (int j = 0; j < LEVELS.length; j++) {
                    double qj = pj.quantiles()[j][i];
                    double qc = pc.quantiles()[j][i];
                    worstQ = Math.max(worstQ, Math.abs(qc - qj));
                    total++;
                    if (lik.isCount()) {
                        assertTrue(Math.abs(qc - qj) <= 1, lik + " level " + LEVELS[j] + " row " + i + ": " + qj + " vs " + qc);
                        assertEquals(Math.rint(qc), qc, 0, "count quantiles are integers");
                        equal += qc == qj ? 1 : 0;
                    } else {
                        assertEquals(qj, qc, 2e-3 * (1 + Math.abs(qj)), lik + " level " + LEVELS[j] + " row " + i);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "summary parity %s: worst relative mean diff %.2g, worst |quantile diff| %.3g"
                    + "%s%n", lik, worstMean, worstQ, lik.isCount() ? String.format(Locale.ROOT, ", %d of %d equal", equal, total) : "");
            if (lik.isCount()) {
                assertTrue(equal >= 0.95 * total, lik + ": only " + equal + " of " + total + " count quantiles equal");
            }
        }
    }
}
