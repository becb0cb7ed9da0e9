package dev.bayesnf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.core.TargetScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line of target scaling and residual kriging: meuse zinc in ppm as it comes (the
 * bundled test-data/meuse.csv, RD New metres), fitted with the defaults; the switches, their
 * refusals, and {@code bayesnf variogram}.
 */
final class HybridCommandLineTest {
    static final Path MEUSE = Path.of("..", "test-data", "meuse.csv");

    @TempDir
    static Path dir;

    static Path hybrid;

    @BeforeAll
    static void fitWithDefaults() {
        hybrid = dir.resolve("meuse.bnf");
        CommandLineTest.Run r = CommandLineTest.run("fit", "--data", MEUSE.toString(), "--target", "zinc", "--features",
                "x,y", "--standardize", "x,y", "--crs", "EPSG:28992", "--width", "16", "--ensemble", "4", "--epochs",
                "160", "--threads", "1", "--output", hybrid.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void testDefaultsChooseTheScaleKrigeAndDropCoordinateFourierFeatures() throws IOException {
        BayesNFModel m = ModelFile.load(hybrid);
        // zinc is positive and right-skewed: kriging alone scores clearly better on its log
        assertEquals(TargetScaling.LOG, m.spec().targetScaling());
        assertTrue(m.provenance().get("target.scaling.choice").matches("auto \\(.*: standard [0-9.]+, sqrt [0-9.]+, log [0-9.]+\\)"),
                m.provenance().get("target.scaling.choice"));
        assertEquals(List.of(0, 0), m.spec().fourierDegrees());
        assertTrue(m.residualKriging().isPresent());
        assertEquals("yes", m.provenance().get("residual.kriging"));
        assertEquals("5", m.provenance().get("cv.folds"));
        assertEquals("CRS unit", m.provenance().get("kriging.distance.unit"));
        int chosen = Integer.parseInt(m.provenance().get("cv.epochs.chosen"));
        assertEquals("0,10,20,40,80,160", m.provenance().get("cv.epochs.candidates"));
        assertTrue(List.of(0, 10, 20, 40, 80, 160).contains(chosen), "chosen " + chosen);
        // the network is trained for all the epochs asked for; the trend is the training mean (0),
        // a snapshot of fewer epochs kept beside it, or the network itself
        assertEquals(160, m.config().epochs());
        assertEquals(chosen == 0, m.residualKriging().orElseThrow().constantTrend().isPresent());
        assertEquals(chosen > 0 && chosen < 160, m.trendComponents().isPresent());
        // no time, no period to fall back outside of
        assertTrue(m.residualKriging().orElseThrow().fallback().isEmpty());
    }

    @Test
    void testPredictionsWithAndWithoutKriging() throws IOException {
        Path with = dir.resolve("with.csv");
        Path without = dir.resolve("without.csv");
        assertEquals(0, CommandLineTest.run("predict", "--model", hybrid.toString(), "--data", MEUSE.toString(),
                "--output", with.toString()).code());
        assertEquals(0, CommandLineTest.run("predict", "--model", hybrid.toString(), "--data", MEUSE.toString(),
                "--residual-kriging", "no", "--output", without.toString()).code());
        List<String> a = Files.readAllLines(with);
        List<String> b = Files.readAllLines(without);
        assertEquals(a.get(0), b.get(0));
        assertEquals(156, a.size());
        double maeWith = 0;
        double maeWithout = 0;
        for (int i = 1; i < a.size(); i++) {
            String[] fa = a.get(i).split(",");
            String[] fb = b.get(i).split(",");
            double y = Double.parseDouble(fa[2]);
            maeWith += Math.abs(y - Double.parseDouble(fa[8]));
            maeWithout += Math.abs(y - Double.parseDouble(fb[8]));
            assertTrue(Double.parseDouble(fa[9]) < Double.parseDouble(fa[11]), a.get(i));
        }
        assertNotEquals(maeWith, maeWithout);
        // predictions at the training rows leave each row's own value out (leave-one-out), so they are
        // not the observations themselves
        assertTrue(maeWith / 155 > 30, "leave-one-out MAE " + maeWith / 155);
        assertTrue(maeWith < maeWithout, "kriged " + maeWith / 155 + ", alone " + maeWithout / 155);
    }

    @Test
    void testTargetScalingNoneAndItsRefusals() throws IOException {
        Path m = dir.resolve("raw.bnf");
        CommandLineTest.Run r = CommandLineTest.run("fit", "--data", MEUSE.toString(), "--target", "zinc", "--features",
                "x,y", "--standardize", "x,y", "--crs", "EPSG:28992", "--target-scaling", "none", "--residual-kriging", "no",
                "--width", "8", "--ensemble", "2", "--epochs", "5", "--threads", "1", "--quiet", "--output", m.toString());
        assertEquals(0, r.code(), r.err());
        BayesNFModel raw = ModelFile.load(m);
        assertEquals(TargetScaling.NONE, raw.spec().targetScaling());
        assertFalse(raw.residualKriging().isPresent());
        assertBad(fit("--target-scaling", "cbrt"), "unknown target scaling 'cbrt'", "sqrt");
        assertBad(fit("--target-scaling", "auto", "--residual-kriging", "no"), "--target-scaling auto",
                "--residual-kriging no", "standard, none, log, log1p or sqrt");
        assertBad(fit("--target-scaling", "standard", "--likelihood", "nb"), "counts");
        assertBad(fit("--residual-kriging", "maybe"), "--residual-kriging", "yes or no");
        assertBad(fit("--residual-kriging", "yes", "--likelihood", "nb", "--target-scaling", "none"),
                "--residual-kriging yes", "normal likelihood");
        assertBad(fit("--variogram-marginals", "gauss"), "--variogram-marginals", "gauss");
        assertBad(fit("--cv-rule", "best"), "--cv-rule", "'best'", "one-se or min");
        // features that are not coordinates: nothing to krige over
        assertBad(CommandLineTest.run("fit", "--data", MEUSE.toString(), "--target", "zinc", "--features", "elev,dist",
                "--residual-kriging", "yes", "--quiet", "--output", dir.resolve("no.bnf").toString()),
                "--residual-kriging yes needs the coordinate columns", "--coordinates");
        assertFalse(Files.exists(dir.resolve("no.bnf")));
        assertFalse(Files.exists(dir.resolve("bad.bnf")));
    }

    @Test
    void testVariogramCommandWritesJsonCsvAndPng() throws IOException {
        Path json = dir.resolve("v.json");
        Path csv = dir.resolve("v.csv");
        Path png = dir.resolve("v.png");
        for (Path p : List.of(json, csv, png)) {
            CommandLineTest.Run r = CommandLineTest.run("variogram", "--model", hybrid.toString(), "--output", p.toString());
            assertEquals(0, r.code(), r.err());
        }
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals("zinc", doc.get("target").asText());
        assertEquals("CRS unit", doc.get("distanceUnit").asText());
        ModelFile.load(hybrid).residualKriging().orElseThrow().constantTrend().ifPresentOrElse(
                c -> assertEquals("constant", doc.get("trend").asText()),
                () -> assertEquals("bayesnf", doc.get("trend").asText()));
        ModelFile.load(hybrid).residualKriging().orElseThrow().fallback().ifPresentOrElse(
                p -> assertEquals(p, doc.get("fallbackPower").asDouble(), 0),
                () -> assertFalse(doc.has("fallbackPower"), doc.toString()));
        assertEquals(ModelFile.load(hybrid).residualKriging().orElseThrow().ordinary() ? "ordinary" : "simple",
                doc.get("kriging").asText());
        assertTrue(doc.get("empirical").size() > 5);
        assertTrue(doc.get("fitted").size() > 10);
        assertTrue(doc.get("model").get("description").asText().startsWith("spatial") || doc.get("model").get("form")
                .asText().equals("nugget"), doc.get("model").toString());
        // semivariances in the units the kriging works in: of the order of zinc's variance (about
        // 1.3e5 ppm²) when standardized, of log(zinc)'s (about 0.5) on the log scale the defaults chose
        double g = doc.get("empirical").get(doc.get("empirical").size() - 1).get("semivariance").asDouble();
        TargetScaling ts = ModelFile.load(hybrid).spec().targetScaling();
        if (ts == TargetScaling.LOG) {
            assertEquals("(log of the target) units squared", doc.get("semivarianceUnit").asText());
            assertTrue(g > 0.05 && g < 5, "semivariance " + g);
        } else {
            assertEquals("target units squared", doc.get("semivarianceUnit").asText());
            assertTrue(g > 1e3 && g < 1e7, "semivariance " + g);
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals("kind,lag,distance,pairs,semivariance", lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("empirical,0,")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("fitted,0,")));
        byte[] b = Files.readAllBytes(png);
        assertEquals((byte) 0x89, b[0]);
        assertEquals('P', b[1]);
        javax.imageio.ImageIO.read(png.toFile()).getWidth();
        assertEquals(720, javax.imageio.ImageIO.read(png.toFile()).getWidth());
        assertBad(CommandLineTest.run("variogram", "--model", hybrid.toString(), "--output", dir.resolve("v.txt").toString()),
                "cannot tell the format", "v.txt");
    }

    @Test
    void testCoordinatesWithoutCrsAreKrigedInTheirOwnUnit() throws IOException {
        // meuse's x, y without --crs (as for a local grid or shifted national coordinates): before, a
        // model without a CRS had no coordinates, hence no kriging and Fourier features of degree 5
        Path local = dir.resolve("local.bnf");
        CommandLineTest.Run r = CommandLineTest.run("fit", "--data", MEUSE.toString(), "--target", "zinc", "--features",
                "x,y", "--standardize", "x,y", "--width", "16", "--ensemble", "4", "--epochs", "160", "--threads", "1",
                "--output", local.toString());
        assertEquals(0, r.code(), r.err());
        BayesNFModel m = ModelFile.load(local);
        assertEquals("LOCAL", m.georeference().orElseThrow().crs());
        assertFalse(m.georeference().orElseThrow().hasCrs());
        assertEquals(List.of(0, 0), m.spec().fourierDegrees());
        assertTrue(m.residualKriging().isPresent());
        // planar distances in metres either way: the same model as with --crs EPSG:28992
        Path a = dir.resolve("local.csv");
        Path b = dir.resolve("rd.csv");
        assertEquals(0, CommandLineTest.run("predict", "--model", local.toString(), "--data", MEUSE.toString(),
                "--output", a.toString()).code());
        assertEquals(0, CommandLineTest.run("predict", "--model", hybrid.toString(), "--data", MEUSE.toString(),
                "--output", b.toString()).code());
        assertEquals(Files.readAllLines(b), Files.readAllLines(a));
        // a map needs a CRS: refused up front, with what to do
        assertBad(CommandLineTest.run("interpolate", "--model", local.toString(), "--width", "8", "--height", "8",
                "--output", dir.resolve("local.tif").toString()), "(x, y) have no CRS", "--crs CODE");
        assertFalse(Files.exists(dir.resolve("local.tif")));
    }

    /**
     * Data with time (the first 40 days of wind at 12 stations): two hybrids, one for the stations'
     * own places and one for places never observed; {@code predict} sends each point to its own,
     * {@code variogram --places new} writes the second's variogram, and {@code --cv-new-places no}
     * keeps one.
     */
    @Test
    void testDataWithTimeGetAHybridForNewPlaces() throws IOException {
        List<String> wind = Files.readAllLines(Path.of("..", "test-data", "wind.train.csv"));
        Path train = dir.resolve("wind40.csv");
        Files.write(train, wind.subList(0, 1 + 12 * 40));
        Path m = dir.resolve("wind40.bnf");
        List<String> args = List.of("fit", "--data", train.toString(), "--target", "wind", "--time", "datetime",
                "--freq", "D", "--features", "latitude,longitude", "--standardize", "latitude,longitude", "--width", "8",
                "--ensemble", "2", "--epochs", "16", "--threads", "1");
        List<String> withOutput = new java.util.ArrayList<>(args);
        withOutput.addAll(List.of("--output", m.toString()));
        CommandLineTest.Run r = CommandLineTest.run(withOutput.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        BayesNFModel model = ModelFile.load(m);
        assertTrue(model.newPlaces().isPresent());
        assertEquals("5", model.provenance().get("cv.new.places.folds"));
        assertTrue(model.provenance().get("kriging.new.places").startsWith("yes"), model.provenance().toString());
        // one point at a station (BEL's own coordinates) and one between stations, on a training day
        Path points = dir.resolve("points.csv");
        Files.write(points, List.of("datetime,latitude,longitude", "1961-01-20,54.23333,-10", "1961-01-20,53.5,-8"));
        Path out = dir.resolve("points.pred.csv");
        assertEquals(0, CommandLineTest.run("predict", "--model", m.toString(), "--data", points.toString(), "--output",
                out.toString()).code());
        assertEquals(3, Files.readAllLines(out).size());
        Path json = dir.resolve("new.json");
        r = CommandLineTest.run("variogram", "--model", m.toString(), "--places", "new", "--output", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(model.newPlaces().orElseThrow().kriging().calibration(), doc.get("calibration").asDouble(), 1e-12,
                doc.toString());
        assertBad(CommandLineTest.run("variogram", "--model", m.toString(), "--places", "elsewhere", "--output",
                json.toString()), "--places must be observed or new", "'elsewhere'");
        // meuse has no time: one hybrid for every place
        assertBad(CommandLineTest.run("variogram", "--model", hybrid.toString(), "--places", "new", "--output",
                dir.resolve("meuse-new.json").toString()), "meuse.bnf has one hybrid for every place");
        Path one = dir.resolve("wind40-one.bnf");
        List<String> off = new java.util.ArrayList<>(args);
        off.addAll(List.of("--cv-new-places", "no", "--quiet", "--output", one.toString()));
        assertEquals(0, CommandLineTest.run(off.toArray(String[]::new)).code());
        assertTrue(ModelFile.load(one).newPlaces().isEmpty());
        assertBad(fit("--cv-new-places", "maybe"), "--cv-new-places", "yes or no");
        assertBad(fit("--quantile-recalibration", "sometimes"), "--quantile-recalibration", "yes or no");
        assertBad(fit("--kriging-place-scale", "maybe"), "--kriging-place-scale", "yes or no");
    }

    @Test
    void testVariogramOfModelWithoutKrigingIsRefused() throws IOException {
        Path m = dir.resolve("alone.bnf");
        assertEquals(0, CommandLineTest.run("fit", "--data", MEUSE.toString(), "--target", "zinc", "--features", "x,y",
                "--standardize", "x,y", "--crs", "EPSG:28992", "--residual-kriging", "no", "--width", "8", "--ensemble",
                "2", "--epochs", "5", "--threads", "1", "--quiet", "--output", m.toString()).code());
        assertBad(CommandLineTest.run("variogram", "--model", m.toString(), "--output", dir.resolve("x.json").toString()),
                "alone.bnf", "without residual kriging");
        assertFalse(Files.exists(dir.resolve("x.json")));
    }

    private static CommandLineTest.Run fit(String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("fit", "--data", MEUSE.toString(), "--target", "zinc",
                "--features", "x,y", "--standardize", "x,y", "--crs", "EPSG:28992", "--width", "4", "--ensemble", "1",
                "--epochs", "1", "--threads", "1", "--quiet", "--output", dir.resolve("bad.bnf").toString()));
        a.addAll(List.of(extra));
        return CommandLineTest.run(a.toArray(new String[0]));
    }

    private static void assertBad(CommandLineTest.Run r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        String line = r.err().strip();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertFalse(line.contains("Exception"), "no class names: " + line);
        for (String f : fragments) {
            assertTrue(line.contains(f), "'" + f + "' in: " + line);
        }
    }
}
