package dev.bayesnf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/compare} (the side-by-side benchmark script, not run in CI at full size): argument
 * handling, the planned commands of {@code --dry-run}, and a {@code --tiny} run (1 particle,
 * 1 epoch, no R) that exercises split files, the seeded meuse holdout, scoring through
 * {@code bayesnf score}, the reference rows and the table. The script runs the command line from
 * this test's class path (environment variable BAYESNF), so no jar needs to be built.
 */
final class CompareScriptTest {
    static Path root;
    static String python;

    @TempDir
    Path work;

    /** Result of one script run. */
    record Run(int code, String out, String err) {}

    @BeforeAll
    static void locate() {
        root = Path.of("").toAbsolutePath();
        if (!Files.exists(root.resolve("bench/compare"))) {
            root = root.getParent();
        }
        assertTrue(Files.isExecutable(root.resolve("bench/compare")), "bench/compare not found from " + root);
        python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : null;
        assumeTrue(python != null || onPath("python3"), "python3 is not installed");
    }

    static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    static Run run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("bench/compare").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        pb.environment().put("BAYESNF", "'" + java + "' -Xss8m -cp '" + System.getProperty("java.class.path")
                + "' dev.bayesnf.cli.BayesNFCommand");
        Path out = Files.createTempFile("compare", ".out");
        Path err = Files.createTempFile("compare", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "bench/compare did not finish in 300 s");
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static void assertBadUsage(Run r, String expected) {
        assertEquals(2, r.code(), r.err());
        String e = r.err().strip();
        assertEquals(1, e.lines().count(), "one line expected: " + e);
        assertTrue(e.startsWith("compare: ") && e.contains(expected), e);
        assertEquals("", r.out());
    }

    @Test
    void badArgumentsEndWithOneLineAndExitCode2() throws Exception {
        assertBadUsage(run("nosuch"), "unknown split 'nosuch'");
        assertBadUsage(run("wind", "--config", "nosuch"), "unknown config 'nosuch'");
        assertBadUsage(run("wind", "--seeds", "0"), "--seeds must be a positive integer");
        assertBadUsage(run("wind", "--seeds", "three"), "--seeds must be a positive integer");
        assertBadUsage(run("meuse", "--epochs", "-1"), "--epochs");
        assertBadUsage(run("wind", "--frobnicate"), "unrecognized arguments");
        assertBadUsage(run(), "required");
    }

    @Test
    void dryRunPrintsThePlannedCommands() throws Exception {
        Run r = run("chickenpox-8", "--config", "vi", "--seeds", "2", "--ensemble", "4", "--dry-run", "--work",
                work.toString());
        assertEquals(0, r.code(), r.err());
        List<String> fits = r.out().lines().filter(l -> l.contains(" fit --data ")).toList();
        assertEquals(2, fits.size(), r.out());
        assertTrue(fits.get(0).contains("--estimator vi --ensemble 4 --epochs 100 --batch 511"), fits.get(0));
        assertTrue(fits.get(0).contains("--seed 0") && fits.get(1).contains("--seed 1"), r.out());
        assertEquals(2, r.out().lines().filter(l -> l.contains(" predict --model ")).count(), r.out());
        assertTrue(r.out().contains("# score reference map: test-data/bnf-map.chickenpox.8.pred.csv"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("Rscript ") && l.contains("geographic=1")), r.out());
        try (var files = Files.list(work)) {
            assertEquals(0, files.count(), "a dry run writes nothing");
        }
    }

    @Test
    void tinyRunPrintsTheTableWithReferenceRowsAndRatios() throws Exception {
        Run r = run("chickenpox-8", "--tiny", "--no-kriging", "--work", work.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        String header = out.lines().filter(l -> l.startsWith("method")).findFirst().orElseThrow(() -> new AssertionError(out));
        for (String col : List.of("MAE", "RMSE", "IS95", "cov95", "fit s", "predict s", "MAE/best", "RMSE/best", "IS95/best")) {
            assertTrue(header.contains(col), header);
        }
        assertTrue(out.contains("bayesnf map (map, 1 particle, 1 epochs, target scaling none, no residual kriging, 1 seed)"),
                out);
        // The reference's MAP predictions scored on the 208 test rows (docs/BENCHMARKS.md): MAE 21.688.
        String ref = out.lines().filter(l -> l.startsWith("reference map")).findFirst().orElseThrow(() -> new AssertionError(out));
        assertTrue(ref.matches(".*\\s21\\.688\\s+25\\.673\\s+131\\.00\\s+0\\.981\\s.*"), ref);
        assertTrue(out.contains("best peer on MAE: reference vi (stored predictions) (13.804)"), out);
        assertTrue(out.lines().filter(l -> l.startsWith("reference vi")).findFirst().orElseThrow().contains(" 1.000 "), out);
    }

    @Test
    void meuseHoldoutIsDeterministicAndTinyRunScoresIt() throws Exception {
        Run r = run("meuse", "--tiny", "--no-kriging", "--seeds", "2", "--work", work.toString());
        assertEquals(0, r.code(), r.err());
        List<String> test = Files.readAllLines(work.resolve("meuse.test.csv"));
        List<String> train = Files.readAllLines(work.resolve("meuse.train.csv"));
        assertEquals(1 + 39, test.size());
        assertEquals(1 + 116, train.size());
        assertEquals(test.get(0), train.get(0));
        String row = r.out().lines().filter(l -> l.startsWith("bayesnf meuse-map")).findFirst()
                .orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(row.contains("2 seeds") && row.matches(".*\\d\\.\\d{3} \\(\\d+\\.\\d{3}-\\d+\\.\\d{3}\\).*"), row);
        assertTrue(r.out().contains("best peer: none scored"), r.out());
        // Same seed, same files.
        Path again = work.resolve("again");
        Run dry = run("meuse", "--tiny", "--no-kriging", "--work", again.toString());
        assertEquals(0, dry.code(), dry.err());
        assertEquals(test, Files.readAllLines(again.resolve("meuse.test.csv")));
    }
}
