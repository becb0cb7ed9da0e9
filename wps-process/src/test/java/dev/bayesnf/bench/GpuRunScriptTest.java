package dev.bayesnf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU run of issue 23 end to end on this machine, with pocl standing in for the GPU:
 * {@code bench/gpu/prepare} packs the shaded jar (built by the package phase; this test runs in the
 * integration-test phase of {@code mvn verify}), a jlinked runtime and the OpenCL loader into a
 * folder under 60 MiB; the folder's {@code run --dry-run} then runs every step of the GPU run,
 * shrunk, on pocl, and each must succeed. Without jlink, zip or an OpenCL driver the scripts
 * fail, and so does this test: it does not skip.
 */
final class GpuRunScriptTest {
    static final List<String> STEPS = List.of("setup", "devices", "parity", "wind-cpu", "wind-gpu", "chickenpox-paper",
            "forecast", "form-gpu", "form-cpu");

    @TempDir
    static Path work;

    static Path root;
    static Path folder;

    /** Result of one script run. */
    record Run(int code, String out) {}

    static Run run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        // as on the GPU machine: no preloaded libjsig from this JVM's fork, no results folder given
        pb.environment().remove("LD_PRELOAD");
        pb.environment().remove("OUT");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(work, "script", ".out");
        Process p = pb.redirectOutput(out.toFile()).start();
        if (!p.waitFor(900, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in 900 s:\n" + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void prepare() throws Exception {
        root = Path.of("").toAbsolutePath();
        if (!Files.exists(root.resolve("bench/gpu/prepare"))) {
            root = root.getParent();
        }
        assertTrue(Files.isExecutable(root.resolve("bench/gpu/prepare")), "bench/gpu/prepare not found from " + root);
        Path jar = root.resolve("wps-process/target/bayesnf.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: this test runs after the package phase (mvn verify)");
        folder = work.resolve("out");
        Run r = run(Map.of(), root.resolve("bench/gpu/prepare").toString(), "--out", folder.toString(), "--jar",
                jar.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("prepare: folder " + folder), r.out());
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void preparedFolderHasEverythingAndFitsTheCarryLimit() throws IOException {
        for (String f : List.of("run", "bayesnf.jar", "runtime/bin/java", "runtime/lib/server/libjvm.so.gz",
                "runtime/lib/libjsig.so", "lib/libOpenCL.so.1", "lib/glibc/ld-linux-x86-64.so.2.gz",
                "parity/java-model.bnf", "parity/java-pred.csv", "parity/fit-args", "MANIFEST.txt")) {
            assertTrue(Files.isRegularFile(folder.resolve(f)), f + " missing from the prepared folder");
        }
        long bytes = size(folder);
        assertTrue(bytes < 60L << 20, "prepared folder is " + (bytes >> 20) + " MiB, over 60 MiB");
        String manifest = Files.readString(folder.resolve("MANIFEST.txt"));
        assertTrue(manifest.contains("modules java.base,") && manifest.contains("jdk.unsupported"), manifest);
        assertTrue(manifest.matches("(?s).*need [0-9.]+ or later.*"), manifest);
    }

    @Test
    void dryRunCompletesEveryStepOnPocl() throws Exception {
        Path results = work.resolve("results");
        Run r = run(Map.of(), folder.resolve("run").toString(), "--dry-run", results.toString());
        List<String> lines = Files.readAllLines(results.resolve("summary.txt"));
        List<String> steps = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            assertEquals(4, f.length, "step, status, seconds, figures: " + line);
            steps.add(f[0]);
            assertTrue(f[1].equals(f[0].equals("parity") ? "PASS" : "ok"), line + "\n" + r.out());
            assertTrue(Double.parseDouble(f[2]) >= 0, line);
            assertFalse(f[3].isBlank(), line);
        }
        assertEquals(STEPS, steps, r.out());
        assertTrue(lines.get(0).startsWith("# step\tstatus\tseconds\tfigures"), lines.get(0));
        String total = lines.get(lines.size() - 1);
        assertTrue(total.startsWith("# total\tok\t"), total);
        assertEquals(0, r.code(), r.out());
        String summary = String.join("\n", lines);
        assertTrue(summary.contains("fit max|dmean|/sd"), summary);
        assertTrue(summary.contains("(CPU, Portable Computing Language"), summary);
        assertTrue(summary.matches("(?s).*chickenpox-paper\tok\t[^\n]*TFLOP/s [0-9.e+-]+.*"), summary);
        assertTrue(summary.matches("(?s).*forecast\tok\t[^\n]*40x30 x 2 steps.*"), summary);
        for (String step : STEPS) {
            assertTrue(Files.isRegularFile(results.resolve(step + ".log")), step + ".log missing");
        }
        // what comes back from the GPU machine stays small: no model or raster in the results
        try (Stream<Path> files = Files.walk(results)) {
            files.filter(Files::isRegularFile).forEach(f -> assertTrue(f.toFile().length() < 1 << 20, f + " is over 1 MiB"));
        }
    }

    @Test
    void runtimeStartsOnTheShippedGlibc() throws Exception {
        Path results = work.resolve("glibc");
        Run r = run(Map.of("BAYESNF_GPU_LOADER", "glibc"), folder.resolve("run").toString(), "--dry-run", "--steps",
                "devices", results.toString());
        assertEquals(0, r.code(), r.out());
        List<String> lines = Files.readAllLines(results.resolve("summary.txt"));
        assertTrue(lines.get(1).startsWith("setup\tok\t") && lines.get(1).contains("java on glibc libraries"), lines.get(1));
        assertTrue(lines.get(2).startsWith("devices\tok\t"), lines.get(2));
    }

    @Test
    void badArgumentsEndWithOneLine() throws Exception {
        Run r = run(Map.of(), folder.resolve("run").toString(), "--steps", "nosuch");
        assertEquals(2, r.code(), r.out());
        assertEquals("run: unknown step 'nosuch' (steps: devices, parity, wind-cpu, wind-gpu, chickenpox-paper, forecast,"
                + " form-gpu, form-cpu)", r.out().strip());
        Run p = run(Map.of(), root.resolve("bench/gpu/prepare").toString(), "--frobnicate");
        assertEquals(2, p.code(), p.out());
        assertTrue(p.out().strip().startsWith("prepare: unknown argument '--frobnicate'"), p.out());
    }
}
