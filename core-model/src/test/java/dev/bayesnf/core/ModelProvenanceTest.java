package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The typed provenance: its entries are the model file's, read back exactly as written. */
final class ModelProvenanceTest {

    private static ModelProvenance trained() {
        return ModelProvenance.none().toBuilder().seed(7).backend("java", "cpu").threads(2)
                .runtime("1.0", "17.0.9", "Linux amd64").trainedAt(Instant.parse("2026-01-02T03:04:05.678Z"))
                .trainingSeconds(1.23456).training(28, "t.csv").finalLoss(0.125f)
                .targetScaling(TargetScaling.STANDARD).trainingTimeLast(12.0).build();
    }

    @Test
    void entriesAreTheFileKeysAndValues() {
        Map<String, String> e = trained().entries();
        Map<String, String> expected = new TreeMap<>(Map.ofEntries(Map.entry("seed", "7"), Map.entry("backend", "java"),
                Map.entry("device", "cpu"), Map.entry("threads", "2"), Map.entry("bayesnf.version", "1.0"),
                Map.entry("java.version", "17.0.9"), Map.entry("os", "Linux amd64"),
                Map.entry("trained.at", "2026-01-02T03:04:05.678Z"), Map.entry("training.seconds", "1.235"),
                Map.entry("training.rows", "28"), Map.entry("training.source", "t.csv"),
                Map.entry("final.loss", "0.125"), Map.entry("target.scaling", "standard"),
                Map.entry("training.time.last", "12.0")));
        assertEquals(expected, e);
        ModelProvenance back = ModelProvenance.fromEntries(e);
        assertEquals(e, back.entries());
        assertEquals(28, back.trainingRows());
        assertEquals(12.0, back.trainingTimeLast());
        assertEquals(TargetScaling.STANDARD, back.targetScaling());
    }

    @Test
    void textThatIsNotTheUsualFormIsWrittenBackAsRead() {
        Map<String, String> read = Map.of("training.time.last", "12", "threads", "two", "cv.folds", "5",
                "some.future.key", "x");
        ModelProvenance p = ModelProvenance.fromEntries(read);
        assertEquals(12.0, p.trainingTimeLast(), "parsed as before");
        assertNull(p.threads(), "unreadable: not typed");
        assertEquals(read, p.entries());
    }

    @Test
    void addingEntriesReplacesThoseOfTheSameKeys() {
        ModelProvenance p = trained().with(Map.of("residual.kriging", "yes", "training.seconds", "9.000",
                "kriging.type", "simple"));
        assertEquals("yes", p.residualKriging());
        assertEquals(9.0, p.trainingSeconds());
        assertEquals("simple", p.entries().get("kriging.type"));
        assertEquals("9.000", p.entries().get("training.seconds"));
        assertEquals(Map.of("checkpoint.epoch", "3"), ModelProvenance.checkpoint(3).entries());
    }
}
