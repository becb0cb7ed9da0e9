package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.bayesnf.core.compute.JavaBackend;
import dev.bayesnf.core.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .bnf model file: round trip, damaged files and other format versions. */
final class ModelFileTest {
    private static DataTable table;
    private static BayesNFModel model;

    @TempDir
    Path dir;

    static DataTable syntheticTable(int n, long seed) {
        return Fixtures.syntheticTable(n, seed);
    }

    static ModelSpec spec() {
        return new ModelSpec("y", "t", null, List.of("lat", "lon"), List.of("lat", "lon"), List.of("10"),
                List.of(), List.of(), List.of(List.of("lat", "lon")), 8, 2, ObservationModel.NORMAL);
    }

    @BeforeAll
    static void fit() {
        table = syntheticTable(60, 7);
        TrainConfig config = TrainConfig.defaults(Estimator.MAP).withEnsemble(2).withEpochs(3).withThreads(1);
        model = new BayesNFTrainer(new JavaBackend()).fit(table, spec(), config, null);
    }

    private static double[] means(BayesNFModel m) {
        return new BayesNFPredictor(new JavaBackend(), 1).predict(m, table, new double[] {0.05, 0.5, 0.95}).mean();
    }

    private static void assertSameModel(BayesNFModel expected, BayesNFModel actual) {
        assertTrue(Arrays.deepEquals(expected.components(), actual.components()), "components differ");
        assertTrue(Arrays.deepEquals(expected.losses(), actual.losses()), "losses differ");
        assertEquals(expected.spec(), actual.spec());
        assertEquals(expected.config(), actual.config());
        assertEquals(expected.stats().timeMin(), actual.stats().timeMin(), 0);
        assertEquals(expected.stats().timeScale(), actual.stats().timeScale(), 0);
        assertArrayEquals(expected.stats().mean(), actual.stats().mean());
        assertArrayEquals(expected.stats().std(), actual.stats().std());
        assertEquals(expected.provenance(), actual.provenance());
        assertEquals(expected.layout().parameterCount(), actual.layout().parameterCount());
    }

    @Test
    void testRoundTripPreservesEverything() throws IOException {
        Path file = dir.resolve("model.bnf");
        ModelFile.save(model, file);
        assertTrue(Files.size(file) > 0);
        BayesNFModel loaded = ModelFile.load(file);
        assertEquals(2, loaded.componentCount());
        assertEquals(3, loaded.losses()[0].length);
        assertSameModel(model, loaded);
        assertFalse(loaded.provenance().isEmpty());
        assertEquals("java", loaded.provenance().get("backend"));
        double[] before = means(model);
        double[] after = means(loaded);
        assertArrayEquals(before, after);
        for (double v : after) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void testSaveLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("m.bnf");
        ModelFile.save(model, file);
        ModelFile.save(model, file); // overwrite
        try (var s = Files.list(dir)) {
            assertEquals(List.of(file.getFileName().toString()),
                    s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void testWritingIsDeterministic() throws IOException {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ModelFile.write(model, a);
        ModelFile.write(model, b);
        assertArrayEquals(a.toByteArray(), b.toByteArray());
        assertSameModel(model, ModelFile.read(new ByteArrayInputStream(a.toByteArray()), "memory"));
        // the two writes above fall in one two-second step of the zip clock almost always; the
        // entries' times must not come from the clock at all
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(
                new ByteArrayInputStream(a.toByteArray()))) {
            int entries = 0;
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                assertEquals(java.time.LocalDateTime.of(1980, 1, 1, 0, 0), e.getTimeLocal(), e.getName());
                entries++;
            }
            assertEquals(3, entries);
        }
    }

    @Test
    void testTruncatedFileIsRejectedWithItsName() throws IOException {
        Path good = dir.resolve("good.bnf");
        ModelFile.save(model, good);
        byte[] bytes = Files.readAllBytes(good);
        Path bad = dir.resolve("truncated.bnf");
        Files.write(bad, Arrays.copyOf(bytes, bytes.length / 2));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(bad));
        assertTrue(e.getMessage().contains("truncated.bnf"), e.getMessage());
    }

    @Test
    void testEveryTruncationBeforeTheCentralDirectoryIsRejected() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFile.write(model, out);
        byte[] bytes = out.toByteArray();
        int central = indexOf(bytes, new byte[] {'P', 'K', 1, 2});
        assertTrue(central > 0);
        for (int cut = 0; cut < central; cut++) {
            byte[] part = Arrays.copyOf(bytes, cut);
            try {
                ModelFile.read(new ByteArrayInputStream(part), "cut-" + cut + ".bnf");
                fail("a file cut at byte " + cut + " of " + bytes.length + " was read");
            } catch (ModelFileException e) {
                assertTrue(e.getMessage().contains("cut-" + cut + ".bnf"), e.getMessage());
            }
        }
    }

    @Test
    void testRandomBytesAreRejectedWithTheFileName() throws IOException {
        byte[] junk = new byte[4096];
        new SplittableRandom(1).nextBytes(junk);
        Path bad = dir.resolve("random.bnf");
        Files.write(bad, junk);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(bad));
        assertTrue(e.getMessage().contains("random.bnf"), e.getMessage());
    }

    @Test
    void testCorruptedParametersAreRejected() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFile.write(model, out);
        byte[] bytes = out.toByteArray();
        int comps = indexOf(bytes, "components.f32".getBytes(StandardCharsets.US_ASCII));
        int losses = indexOf(bytes, "losses.f32".getBytes(StandardCharsets.US_ASCII));
        assertTrue(comps > 0 && losses > comps);
        // flip one bit in the middle of the compressed parameter data
        int at = (comps + losses) / 2;
        bytes[at] ^= 0x10;
        Path bad = dir.resolve("flipped.bnf");
        Files.write(bad, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(bad));
        assertTrue(e.getMessage().contains("flipped.bnf"), e.getMessage());
    }

    /**
     * A model file of format version 1, written by the build before version 2 (meuse zinc in ppm,
     * width 8, 2 particles, 20 epochs, Java backend, one thread), with that build's predictions at
     * four points: this build reads it as a model without target scaling and predicts the same
     * values to the printed digit.
     */
    @Test
    void testVersionOneFileLoadsAndPredictsAsBefore() throws IOException {
        Path file = dir.resolve("meuse-v1.bnf");
        try (var in = ModelFileTest.class.getResourceAsStream("/format-v1/meuse-v1.bnf")) {
            Files.copy(in, file);
        }
        BayesNFModel v1 = ModelFile.load(file);
        assertEquals(TargetScaling.NONE, v1.spec().targetScaling());
        assertEquals(0, v1.stats().targetMean());
        assertEquals(1, v1.stats().targetStd());
        List<String> lines;
        try (var in = ModelFileTest.class.getResourceAsStream("/format-v1/meuse-v1.pred.csv")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        Map<String, String[]> cols = new LinkedHashMap<>();
        String[] x = new String[lines.size() - 1];
        String[] y = new String[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            x[i - 1] = f[0];
            y[i - 1] = f[1];
        }
        cols.put("x", x);
        cols.put("y", y);
        Prediction p = new BayesNFPredictor(new JavaBackend(), 1).predict(v1, new DataTable("points", 2, cols),
                new double[] {0.025, 0.5, 0.975});
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            assertEquals(f[3], Float.toString((float) p.mean()[i - 1]), "mean, row " + i);
            for (int q = 0; q < 3; q++) {
                assertEquals(f[4 + q], Float.toString((float) p.quantiles()[q][i - 1]), "quantile " + q + ", row " + i);
            }
        }
        // written again, it is a file of the current version that reads back the same model
        Path again = dir.resolve("again.bnf");
        ModelFile.save(v1, again);
        BayesNFModel back = ModelFile.load(again);
        assertEquals(v1.spec(), back.spec());
        assertArrayEquals(v1.components()[1], back.components()[1]);
    }

    @Test
    void testOtherFormatVersionIsRejected() throws IOException {
        Path file = dir.resolve("future.bnf");
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("model.properties"));
            zip.write(("format=bayesnf-model\nformat.version=" + (ModelFile.VERSION + 1) + "\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("components.f32"));
            zip.write(new byte[8]);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("losses.f32"));
            zip.write(new byte[8]);
            zip.closeEntry();
        }
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains("version " + (ModelFile.VERSION + 1)), e.getMessage());
        assertTrue(e.getMessage().contains("future.bnf"), e.getMessage());
    }

    @Test
    void testZipWithoutModelIsRejected() throws IOException {
        Path file = dir.resolve("other.zip");
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hello".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains("other.zip"), e.getMessage());
    }

    private static BayesNFModel roundTrip(BayesNFModel m, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFile.write(m, out);
        return ModelFile.read(new ByteArrayInputStream(out.toByteArray()), name);
    }

    @Test
    void testCalendarCountModelRoundTrip() throws IOException {
        int n = 60;
        SplittableRandom r = new SplittableRandom(21);
        String[] date = new String[n];
        String[] lat = new String[n];
        String[] y = new String[n];
        for (int i = 0; i < n; i++) {
            date[i] = java.time.LocalDate.of(2005, 1, 3).plusWeeks(i / 2).toString();
            lat[i] = Double.toString(50 + r.nextDouble());
            y[i] = Integer.toString(i % 5 == 0 ? 0 : r.nextInt(20));
        }
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("date", date);
        cols.put("lat", lat);
        cols.put("cases", y);
        DataTable t = new DataTable("weekly.csv", 2, cols);
        ModelSpec s = new ModelSpec("cases", "date", Frequency.WEEKLY, List.of("lat"), List.of("lat"),
                List.of("M", "Y"), List.of(2, 10), List.of(3, 2), List.of(List.of("date", "lat")), 6, 1,
                ObservationModel.ZINB);
        TrainConfig c = new TrainConfig(Estimator.VI, 2, 2, 20, 0.01, 3, 0.5, 2, 3, 1);
        BayesNFModel m = new BayesNFTrainer(new JavaBackend()).fit(t, s, c, null);
        assertEquals(12, m.layout().seasonalFrequencies().length);
        assertEquals(Frequency.WEEKLY.periodIndex(Frequency.parseTimestamp("2005-01-03")), m.stats().timeMin(), 0);
        BayesNFModel back = roundTrip(m, "weekly.bnf");
        assertSameModel(m, back);
        assertEquals(6, back.componentCount());
        assertArrayEquals(m.layout().seasonalFrequencies(), back.layout().seasonalFrequencies());
        Prediction before = new BayesNFPredictor(new JavaBackend(), 1).predict(m, t, new double[] {0.5, 0.9});
        Prediction after = new BayesNFPredictor(new JavaBackend(), 1).predict(back, t, new double[] {0.5, 0.9});
        assertArrayEquals(before.mean(), after.mean());
        assertArrayEquals(before.quantiles()[1], after.quantiles()[1]);
    }

    @Test
    void testSpatialModelRoundTrip() throws IOException {
        DataTable t = syntheticTable(30, 2);
        ModelSpec s = new ModelSpec("y", null, null, List.of("lat", "lon"), List.of(), List.of(), List.of(),
                List.of(0, 4), List.of(), 5, 3, ObservationModel.NB);
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("lat", t.numeric("lat", false));
        cols.put("lon", t.numeric("lon", false));
        double[] counts = new double[30];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = i % 7;
        }
        cols.put("y", counts);
        DataTable table2 = DataTable.ofNumbers("counts", cols);
        BayesNFModel m = new BayesNFTrainer(new JavaBackend()).fit(table2, s,
                TrainConfig.defaults(Estimator.MLE).withEnsemble(3).withEpochs(2).withThreads(1), null);
        BayesNFModel back = roundTrip(m, "spatial.bnf");
        assertSameModel(m, back);
        assertEquals(null, back.spec().time());
        assertEquals(null, back.spec().freq());
        assertEquals(List.of(), back.spec().standardize());
    }

    /*
     * Bug (ModelFile.java, read, line 155): only ZipException and EOFException are turned into
     * ModelFileException. ZipInputStream.getNextEntry (line 138) throws IllegalArgumentException
     * ("malformed input") when a damaged local header holds an entry name that is not valid
     * UTF-8, so such a damaged file escapes as IllegalArgumentException.
     */
    @Test
    void testDamagedEntryNameIsRejected() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFile.write(model, out);
        byte[] bytes = out.toByteArray();
        bytes[30] ^= (byte) 0x80; // first byte of the first entry's name ('m' of model.properties)
        Path bad = dir.resolve("name.bnf");
        Files.write(bad, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(bad));
        assertTrue(e.getMessage().contains("name.bnf"), e.getMessage());
    }

    /*
     * Bug (ModelFile.java, read, line 143): Properties.load throws IllegalArgumentException for a
     * malformed backslash-u escape; it is outside the catch that produces ModelFileException.
     */
    @Test
    void testMalformedPropertiesAreRejected() throws IOException {
        Path file = dir.resolve("escape.bnf");
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("model.properties"));
            zip.write("format=bayesnf-model\nformat.version=1\nspec.target=\\u12\n".getBytes(StandardCharsets.ISO_8859_1));
            zip.closeEntry();
        }
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains("escape.bnf"), e.getMessage());
    }

    /*
     * Bug (ModelFile.java, write, lines 103-107): Properties.store(Writer) does not escape
     * characters above U+00FF, and the text is then encoded as ISO-8859-1, so every such
     * character of a column name, the data source or any provenance value becomes '?'.
     * A model with a column named "纬度" comes back naming "??" and cannot predict.
     */
    @Test
    void testNonLatin1NamesSurviveRoundTrip() throws IOException {
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("t", table.numeric("t", false));
        cols.put("纬度", table.numeric("lat", false));
        cols.put("y", table.numeric("y", false));
        DataTable t = DataTable.ofNumbers("東京.csv", cols);
        ModelSpec s = new ModelSpec("y", "t", null, List.of("纬度"), List.of("纬度"), List.of(), List.of(),
                List.of(), List.of(), 4, 1, ObservationModel.NORMAL);
        BayesNFModel m = new BayesNFTrainer(new JavaBackend()).fit(t, s,
                TrainConfig.defaults(Estimator.MAP).withEnsemble(1).withEpochs(1).withThreads(1), null);
        BayesNFModel back = roundTrip(m, "unicode.bnf");
        assertEquals(List.of("纬度"), back.spec().features());
        assertEquals("東京.csv", back.provenance().get("training.source"));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
