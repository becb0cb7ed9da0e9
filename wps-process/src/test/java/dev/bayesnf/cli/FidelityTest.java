package dev.bayesnf.cli;

import dev.bayesnf.service.process.CsvTables;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFPredictor;
import dev.bayesnf.core.BayesNFTrainer;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.Prediction;
import dev.bayesnf.core.TrainConfig;
import dev.bayesnf.core.compute.JavaBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Reduced fidelity check on the reference's own work: chickenpox split 8 with the reference's
 * MAP model and inference settings (width 256, depth 2, 100 full-batch epochs, lr 0.005), but 2
 * particles instead of 64 to fit CI time, scored on the 208 test rows against the reference's
 * stored predictions. Tolerances: 5% on MAE and RMSE (the full 64-particle figure must be within
 * 5%, and 2 particles move the mixture mean by about 1% in the benchmark runs), 10% on IS95
 * (interval width with 2 instead of 64 components), 0.05 on coverage (about 10 of 208 rows).
 * The full-size comparison is `./bayesnf bench` (docs/BENCHMARKS.md).
 */
final class FidelityTest {
    static final Path DATA = Path.of("..", "test-data");

    @Test
    void testChickenpoxMapMatchesReference() {
        BenchCommand.Config cfg = BenchCommand.config("chickenpox-map");
        DataTable train = CsvTables.read(DATA.resolve(cfg.train()));
        DataTable test = CsvTables.read(DATA.resolve(cfg.test()));
        TrainConfig c = cfg.train0().withEnsemble(2);
        BayesNFModel model = new BayesNFTrainer(new JavaBackend()).fit(train, cfg.spec(), c, null);
        Prediction p = new BayesNFPredictor(new JavaBackend(), 0).predict(model, test, new double[] {0.025, 0.975});
        double[] y = test.numeric("chickenpox", false);
        Metrics ours = Metrics.of(y, p.mean(), p.quantiles()[0], p.quantiles()[1]);
        Metrics ref = BenchCommand.referenceMetrics(DATA.resolve(cfg.reference()), test, y);
        String both = "ours " + ours + " reference " + ref;
        assertEquals(ref.mae(), ours.mae(), 0.05 * ref.mae(), both);
        assertEquals(ref.rmse(), ours.rmse(), 0.05 * ref.rmse(), both);
        assertEquals(ref.is95(), ours.is95(), 0.10 * ref.is95(), both);
        assertEquals(ref.coverage95(), ours.coverage95(), 0.05, both);
    }
}
