package dev.bayesnf.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.FitDefaults;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.service.process.FitProcess;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ModelStore;
import dev.bayesnf.service.process.OutputValue;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessInputs;
import dev.bayesnf.service.process.ProcessLimits;
import dev.bayesnf.testing.TestProcessContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line and the Fit process leave the same settings to the same rule (docs/MODEL.md,
 * "Defaults scaled to the data"): fitted on the same rows with nothing but the model given, they
 * record the same width, depth, ensemble, batch and epochs, and both say before training what
 * they chose and how long it should take. Twelve meuse points and no residual kriging keep the
 * rule's 2000 full-batch epochs of 16 particles to seconds.
 */
final class ScaledDefaultsTest {
    @TempDir
    static Path dir;

    static Path data;

    @BeforeAll
    static void twelveMeusePoints() throws IOException {
        data = dir.resolve("meuse12.csv");
        Files.write(data, Files.readAllLines(HybridCommandLineTest.MEUSE).subList(0, 13));
    }

    @Test
    void theCommandLineAndTheServiceChooseTheSameSettingsAndSaySoBeforeTraining() throws Exception {
        Path cliFile = dir.resolve("cli.bnf");
        CommandLineTest.Run r = ObservationFormatsCommandLineTest.withProgress("fit", "--data", data.toString(),
                "--target", "zinc", "--features", "x,y", "--standardize", "x,y", "--crs", "EPSG:28992",
                "--residual-kriging", "no", "--output", cliFile.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("\nfit: 12 rows, width 64, depth 2, 16 particles, batch full, 2000 epochs (defaults"
                + " scaled to the data); estimated "), r.err());
        BayesNFModel cli = ModelFile.load(cliFile);

        List<String> messages = new ArrayList<>();
        Map<String, List<InputValue>> in = new LinkedHashMap<>();
        in.put("data", List.of(new InputValue.Complex(Files.readAllBytes(data), "text/csv")));
        literal(in, "target", "zinc");
        literal(in, "features", "x,y");
        literal(in, "standardize", "x,y");
        literal(in, "crs", "EPSG:28992");
        literal(in, "residualKriging", "no");
        BayesNFModel service = fit(in, messages);
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("training on ") && m.contains(": 12 rows, width 64, depth"
                + " 2, 16 particles, batch full, 2000 epochs (defaults scaled to the data); estimated ")), messages.toString());
        assertTrue(messages.get(messages.size() - 1).matches("epoch 2000 of 2000, loss .* \\(fit estimated .*\\)"),
                messages.get(messages.size() - 1));

        for (BayesNFModel m : List.of(cli, service)) {
            assertEquals(List.of(64, 2, 16, 2000, 0), List.of(m.spec().width(), m.spec().depth(), m.config().ensemble(),
                    m.config().epochs(), m.config().batch()));
            assertEquals("width,depth,ensemble,batch,epochs", m.provenance().get(FitDefaults.PROVENANCE_SCALED));
            double estimate = Double.parseDouble(m.provenance().get(FitDefaults.PROVENANCE_ESTIMATE));
            double seconds = Double.parseDouble(m.provenance().get("training.seconds"));
            assertTrue(estimate > 0 && Double.isFinite(estimate), m.provenance().toString());
            System.out.printf(Locale.ROOT, "ScaledDefaultsTest: %s estimated %.2f s, trained %.2f s, ratio %.2f%n",
                    m == cli ? "command line" : "Fit process", estimate, seconds, estimate / seconds);
        }
        // the same settings, hence (same seed, backend and threads) the same model
        assertEquals(cli.spec(), service.spec());
        assertEquals(cli.config(), service.config());
        assertArrayEquals(cli.components(), service.components());
    }

    @Test
    void settingsGivenWinAndTheServiceLimitHoldsForTheRulesChoice() throws Exception {
        Map<String, List<InputValue>> in = new LinkedHashMap<>();
        in.put("data", List.of(new InputValue.Complex(Files.readAllBytes(data), "text/csv")));
        literal(in, "target", "zinc");
        literal(in, "crs", "EPSG:28992");
        literal(in, "residualKriging", "no");
        literal(in, "width", "8");
        literal(in, "ensemble", "2");
        literal(in, "epochs", "30");
        BayesNFModel m = fit(in, new ArrayList<>());
        assertEquals(List.of(8, 2, 2, 30, 0), List.of(m.spec().width(), m.spec().depth(), m.config().ensemble(),
                m.config().epochs(), m.config().batch()));
        assertEquals("depth,batch", m.provenance().get(FitDefaults.PROVENANCE_SCALED));

        // 1024 particles given, the rule's 2000 epochs: over the limit of ensemble x epochs, refused before training
        in.remove("epochs");
        literal(in, "ensemble", "1024");
        ProcessException e = assertThrows(ProcessException.class, () -> fit(in, new ArrayList<>()));
        assertTrue(e.getMessage().contains("ensemble x epochs = 2048000 exceeds"), e.getMessage());
    }

    private static void literal(Map<String, List<InputValue>> in, String id, String value) {
        in.put(id, List.of(new InputValue.Literal(value)));
    }

    /** Runs the Fit process on {@code in} and returns the model it stored, collecting its progress messages. */
    private static BayesNFModel fit(Map<String, List<InputValue>> in, List<String> messages) throws Exception {
        FitProcess p = new FitProcess(ProcessLimits.defaults());
        ProcessInputs inputs = new ProcessInputs(p.spec(), in);
        BayesNFModel[] stored = new BayesNFModel[1];
        ModelStore store = new ModelStore() {
            @Override
            public String add(BayesNFModel model, String jobId, String title) {
                stored[0] = model;
                return "m-1";
            }

            @Override
            public Optional<BayesNFModel> get(String id) {
                return Optional.empty();
            }

            @Override
            public Optional<Path> file(String id) {
                return Optional.empty();
            }

            @Override
            public List<String> ids() {
                return List.of();
            }
        };
        p.validate(inputs, store);
        Path jobDir = Files.createTempDirectory(dir, "job");
        Map<String, OutputValue> out = p.execute(inputs, new TestProcessContext(jobDir, store, messages::add));
        assertEquals("m-1", ((OutputValue.Literal) out.get("model")).value());
        // the model file the process wrote records the same as the model it stored
        BayesNFModel file = ModelFile.load(((OutputValue.Document) out.get("modelFile")).file());
        assertEquals(stored[0].provenance(), file.provenance());
        assertTrue(Files.readString(((OutputValue.Document) out.get("report")).file(), StandardCharsets.UTF_8)
                .contains("\"defaults.scaled\""));
        return file;
    }
}
