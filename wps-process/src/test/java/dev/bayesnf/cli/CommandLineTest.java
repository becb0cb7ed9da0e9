package dev.bayesnf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: fit, predict, and every bad-input case of the contract. */
final class CommandLineTest {
    @TempDir
    static Path dir;

    static Path train;
    static Path test;
    static Path model;

    /** Result of one run. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BayesNFCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void fitSmallModel() throws IOException {
        train = dir.resolve("train.csv");
        test = dir.resolve("test.csv");
        StringBuilder tr = new StringBuilder("datetime,station,latitude,longitude,wind\n");
        StringBuilder te = new StringBuilder("datetime,station,latitude,longitude,wind\n");
        String[] st = {"A", "B", "C", "D"};
        double[][] loc = {{53.1, -7.9}, {53.5, -7.4}, {52.7, -8.9}, {54.2, -10.0}};
        for (int day = 1; day <= 28; day++) {
            for (int s = 0; s < st.length; s++) {
                double w = 10 + 3 * Math.sin(2 * Math.PI * day / 7.0) + s;
                String row = String.format(java.util.Locale.ROOT, "2020-02-%02d,%s,%s,%s,%.2f%n", day, st[s],
                        loc[s][0], loc[s][1], w);
                (day > 21 && s == 0 ? te : tr).append(row);
            }
        }
        Files.writeString(train, tr);
        Files.writeString(test, te);
        model = dir.resolve("model.bnf");
        Run r = run("fit", "--data", train.toString(), "--target", "wind", "--time", "datetime", "--freq", "D",
                "--features", "latitude,longitude", "--standardize", "latitude,longitude", "--seasonality", "7",
                "--harmonics", "2", "--interactions", "latitude:longitude", "--width", "16", "--depth", "2",
                "--ensemble", "3", "--epochs", "30", "--lr", "0.01", "--threads", "1", "--output", model.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void testPredictWritesInputColumnsMeanAndQuantiles() throws IOException {
        Path out = dir.resolve("pred.csv");
        Run r = run("predict", "--model", model.toString(), "--data", test.toString(), "--quantiles", "0.025,0.5,0.975",
                "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("datetime,station,latitude,longitude,wind,mean,q0.025,q0.5,q0.975", lines.get(0));
        assertEquals(8, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double mean = Double.parseDouble(f[5]);
            double lo = Double.parseDouble(f[6]);
            double med = Double.parseDouble(f[7]);
            double hi = Double.parseDouble(f[8]);
            assertTrue(lo < med && med < hi, line);
            assertTrue(Double.isFinite(mean) && Math.abs(mean - 10) < 10, line);
        }
    }

    @Test
    void testQuantileColumnsAreNamedAsGiven() throws IOException {
        Path out = dir.resolve("pred2.csv");
        Run r = run("predict", "--model", model.toString(), "--data", test.toString(), "--quantiles", "0.1,0.90",
                "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readAllLines(out).get(0).endsWith(",mean,q0.1,q0.90"));
    }

    @Test
    void testPurelySpatialFitAndPredict() throws IOException {
        Path m = dir.resolve("spatial.bnf");
        Run r = run("fit", "--data", train.toString(), "--target", "wind", "--features", "latitude,longitude",
                "--width", "8", "--ensemble", "2", "--epochs", "5", "--threads", "1", "--quiet", "--output", m.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        Path out = dir.resolve("spatial.csv");
        assertEquals(0, run("predict", "--model", m.toString(), "--data", test.toString(), "--output", out.toString()).code());
        assertFalse(Files.readString(out).contains("NaN"));
    }

    @Test
    void testHelpListsEveryCommand() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("fit") && r.out().contains("predict") && r.out().contains("bench"));
        String fit = run("fit", "--help").out();
        assertTrue(fit.contains("--posterior-samples"));
        // width, depth, ensemble, batch and epochs show the rule, not a fixed number
        assertTrue(fit.contains("--width=W              Hidden units per layer (default: scaled to the"), fit);
        assertFalse(fit.contains("default 512") || fit.contains("default 64)") || fit.contains("default 5000"), fit);
    }

    @Test
    void testServeRefusesBadSettingsBeforeStarting() {
        Path data = dir.resolve("serve-data");
        assertBadInput(run("serve", "--port", "70000", "--data-dir", data.toString()), "--port", "70000");
        assertBadInput(run("serve", "--max-jobs", "0", "--data-dir", data.toString()), "--max-jobs");
        assertBadInput(run("serve", "--base-url", "ftp://example.org", "--data-dir", data.toString()), "--base-url",
                "ftp://example.org");
        assertBadInput(run("serve", "--device", "gpu", "--data-dir", data.toString()), "gpu");
        assertBadInput(run("serve", "--device", "opencl:99", "--data-dir", data.toString()), "opencl:99");
        assertBadInput(run("serve", "--max-executes-per-minute", "-1", "--data-dir", data.toString()),
                "--max-executes-per-minute", "-1");
        assertBadInput(run("serve", "--max-storage-mb-per-user", "-5", "--data-dir", data.toString()),
                "--max-storage-mb-per-user", "-5");
        assertBadInput(run("serve", "--model-days", "-2", "--data-dir", data.toString()), "--model-days", "-2");
        assertFalse(Files.exists(data), "nothing written for a refused start");
    }

    private static void assertBadInput(Run r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        String line = r.err().strip();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertFalse(line.contains("Exception"), "no stack trace or class names: " + line);
        for (String f : fragments) {
            assertTrue(line.contains(f), "'" + f + "' in: " + line);
        }
    }

    private static Run fitWith(Path data, String... extra) {
        List<String> a = new ArrayList<>(List.of("fit", "--data", data.toString(), "--target", "wind", "--time",
                "datetime", "--freq", "D", "--features", "latitude,longitude", "--width", "4", "--ensemble", "1",
                "--epochs", "1", "--threads", "1", "--quiet", "--output", dir.resolve("bad.bnf").toString()));
        a.addAll(List.of(extra));
        return run(a.toArray(new String[0]));
    }

    private static Path csv(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void testMissingFile() {
        assertBadInput(fitWith(dir.resolve("nope.csv")), "nope.csv", "no such file");
        assertFalse(Files.exists(dir.resolve("bad.bnf")));
    }

    @Test
    void testMalformedCsv() throws IOException {
        Path p = csv("ragged.csv", "datetime,latitude,longitude,wind\n2020-01-01,1,2,3\n2020-01-02,1,2\n");
        assertBadInput(fitWith(p), "ragged.csv", "line 3", "expected 4 fields");
    }

    @Test
    void testUnknownColumn() throws IOException {
        Path p = csv("nocol.csv", "datetime,latitude,lon,wind\n2020-01-01,1,2,3\n2020-01-02,1,2,4\n");
        assertBadInput(fitWith(p), "nocol.csv", "'longitude'");
    }

    @Test
    void testNonNumericValue() throws IOException {
        Path p = csv("text.csv", "datetime,latitude,longitude,wind\n2020-01-01,1,2,3\n2020-01-02,north,2,4\n");
        assertBadInput(fitWith(p), "text.csv", "line 3", "'latitude'", "'north'");
    }

    @Test
    void testNanCoordinate() throws IOException {
        Path p = csv("nan.csv", "datetime,latitude,longitude,wind\n2020-01-01,1,2,3\n2020-01-02,1,NaN,4\n");
        assertBadInput(fitWith(p), "nan.csv", "line 3", "'longitude'", "missing");
    }

    @Test
    void testNanCoordinateInPredictionData() throws IOException {
        Path p = csv("nanpred.csv", "datetime,station,latitude,longitude,wind\n2020-02-25,A,inf,-7.9,\n");
        Path out = dir.resolve("never.csv");
        Run r = run("predict", "--model", model.toString(), "--data", p.toString(), "--output", out.toString());
        assertBadInput(r, "nanpred.csv", "line 2", "'latitude'");
        assertFalse(Files.exists(out));
    }

    @Test
    void testBadDate() throws IOException {
        Path p = csv("date.csv", "datetime,latitude,longitude,wind\n2020-01-01,1,2,3\n01/02/2020,1,2,4\n");
        assertBadInput(fitWith(p), "date.csv", "line 3", "'datetime'", "01/02/2020");
    }

    @Test
    void testUnknownOption() {
        assertBadInput(run("fit", "--bogus"), "--bogus");
    }

    @Test
    void testUnknownFrequency() {
        Run r = run("fit", "--data", train.toString(), "--target", "wind", "--time", "datetime", "--freq",
                "fortnight", "--features", "latitude", "--output", dir.resolve("bad.bnf").toString());
        assertBadInput(r, "fortnight");
    }

    @Test
    void testTooManyHarmonics() {
        assertBadInput(fitWith(train, "--seasonality", "7", "--harmonics", "4"), "harmonics 4", "7");
    }

    @Test
    void testModelSettingsAreNamedAsOptions() {
        assertBadInput(fitWith(train, "--seasonality", "7", "--harmonics", "1,2"),
                "--harmonics needs one count per seasonality period (1), got 2");
        assertBadInput(fitWith(train, "--fourier-degrees", "1,2,3,4"), "--fourier-degrees needs");
    }

    @Test
    void testZeroVarianceStandardize() throws IOException {
        Path p = csv("const.csv", "datetime,latitude,longitude,wind\n2020-01-01,1,2,3\n2020-01-02,1,3,4\n");
        assertBadInput(fitWith(p, "--standardize", "latitude"), "'latitude'", "zero variance");
    }

    @Test
    void testTooFewRows() throws IOException {
        Path p = csv("one.csv", "datetime,latitude,longitude,wind\n2020-01-01,1,2,3\n2020-01-02,1,3,\n");
        assertBadInput(fitWith(p), "one.csv", "at least 2");
    }

    @Test
    void testDamagedModelFile() throws IOException {
        Path bad = csv("damaged.bnf", "this is not a model");
        Run r = run("predict", "--model", bad.toString(), "--data", test.toString(), "--output",
                dir.resolve("x.csv").toString());
        assertBadInput(r, "damaged.bnf");
    }

    @Test
    void testNoTemporaryFilesLeftBehind() throws IOException {
        fitWith(dir.resolve("nope.csv"));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }
}
