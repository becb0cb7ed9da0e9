package dev.bayesnf.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.testing.TestModelStore;
import dev.bayesnf.testing.TestProcessContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bayesnf:Variogram with a model of data with time, which has a hybrid for the training's places
 * and one for new places: {@code places} picks whose fitted residual variogram is returned, the
 * JSON with data carries both, and a model with one hybrid refuses {@code places=new} at
 * submission.
 */
final class VariogramProcessTest {
    @TempDir
    static Path dir;

    static Path windData;
    static final Map<String, BayesNFModel> MODELS = new LinkedHashMap<>();

    @BeforeAll
    static void models() throws Exception {
        List<String> wind = Files.readAllLines(Path.of("..", "test-data", "wind.train.csv"));
        windData = dir.resolve("wind20.csv");
        Files.write(windData, wind.subList(0, 1 + 12 * 20));
        Path w = dir.resolve("wind.bnf");
        TestModelStore.cli("fit", "--data", windData.toString(), "--target", "wind", "--time", "datetime", "--freq", "D", "--features",
                "latitude,longitude", "--standardize", "latitude,longitude", "--width", "8", "--ensemble", "2",
                "--epochs", "8", "--threads", "1", "--device", "java", "--quiet", "--output", w.toString());
        MODELS.put("wind", ModelFile.load(w));
        Path m = dir.resolve("meuse.bnf");
        TestModelStore.cli("fit", "--data", Path.of("..", "test-data", "meuse.csv").toString(), "--target", "zinc", "--features", "x,y",
                "--standardize", "x,y", "--crs", "EPSG:28992", "--width", "8", "--ensemble", "2", "--epochs", "8",
                "--threads", "1", "--device", "java", "--quiet", "--output", m.toString());
        MODELS.put("meuse", ModelFile.load(m));
    }

    private static ModelStore store() {
        return new TestModelStore(MODELS);
    }

    private static JsonNode run(String model, String places, boolean withData) throws Exception {
        VariogramProcess p = new VariogramProcess(ProcessLimits.defaults());
        Map<String, List<InputValue>> given = new LinkedHashMap<>();
        given.put("model", List.of(new InputValue.Literal(model)));
        if (places != null) {
            given.put("places", List.of(new InputValue.Literal(places)));
        }
        if (withData) {
            given.put("data", List.of(new InputValue.Complex(Files.readAllBytes(windData), "text/csv")));
        }
        ProcessInputs in = new ProcessInputs(p.spec(), given);
        p.validate(in, store());
        Path job = Files.createTempDirectory(dir, "job");
        Map<String, OutputValue> out = p.execute(in, new TestProcessContext(job, store()));
        return new ObjectMapper().readTree(((OutputValue.Document) out.get("result")).file().toFile());
    }

    @Test
    void placesPicksTheHybridWhoseVariogramIsReturned() throws Exception {
        BayesNFModel wind = MODELS.get("wind");
        assertTrue(wind.newPlaces().isPresent(), wind.provenance().toString());
        double observed = wind.residualKriging().orElseThrow().calibration();
        double fresh = wind.newPlaces().orElseThrow().kriging().calibration();
        assertEquals(observed, run("wind", null, false).get("calibration").asDouble(), 1e-12);
        assertEquals(observed, run("wind", "observed", false).get("calibration").asDouble(), 1e-12);
        assertEquals(fresh, run("wind", "new", false).get("calibration").asDouble(), 1e-12);
        JsonNode both = run("wind", null, true);
        assertEquals(observed, both.get("residualModel").get("calibration").asDouble(), 1e-12);
        assertEquals(fresh, both.get("newPlacesResidualModel").get("calibration").asDouble(), 1e-12);
    }

    @Test
    void aModelWithOneHybridRefusesNewPlacesAtSubmission() {
        ProcessException e = assertThrows(ProcessException.class, () -> run("meuse", "new", false));
        assertTrue(e.getMessage().contains("one hybrid for every place"), e.getMessage());
        assertThrows(ProcessException.class, () -> run("wind", "elsewhere", false));
    }
}
