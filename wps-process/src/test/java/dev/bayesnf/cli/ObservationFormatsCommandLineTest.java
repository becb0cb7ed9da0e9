package dev.bayesnf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.testing.Gdal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same meuse points (test-data/meuse.csv, RD New metres) in every format an analyst brings
 * them in: CSV with commas, CSV with semicolons, decimal commas and windows-1252 text, and, made by
 * GDAL's {@code ogr2ogr} here, GeoJSON with its {@code crs} member, a GeoPackage and a zipped
 * shapefile. Each gives the same model to the bit (same predictions, same CRS, the last three
 * without {@code --crs}: the file says it). GDAL ({@code gdal-bin}) is installed by {@code .ci/run};
 * without it this test fails.
 */
final class ObservationFormatsCommandLineTest {
    @TempDir
    static Path dir;

    static final List<Path> FILES = new ArrayList<>();

    @BeforeAll
    static void makeFiles() throws Exception {
        Path csv = dir.resolve("meuse.csv");
        Files.copy(HybridCommandLineTest.MEUSE, csv);
        FILES.add(csv);
        FILES.add(semicolonDecimalComma(csv, dir.resolve("meuse-excel.csv")));
        String[] open = {"-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y", "-oo", "AUTODETECT_TYPE=YES",
            "-a_srs", "EPSG:28992"};
        Path geojson = dir.resolve("meuse.geojson");
        ogr2ogr("GeoJSON", geojson, csv, open);
        assertTrue(Files.readString(geojson).contains("EPSG::28992"), "ogr2ogr wrote no crs member");
        FILES.add(geojson);
        Path gpkg = dir.resolve("meuse.gpkg");
        ogr2ogr("GPKG", gpkg, csv, open);
        FILES.add(gpkg);
        Path shpDir = Files.createDirectories(dir.resolve("shp"));
        ogr2ogr("ESRI Shapefile", shpDir.resolve("meuse.shp"), csv, open);
        Path zip = dir.resolve("meuse.zip");
        try (OutputStream o = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(o);
                Stream<Path> parts = Files.list(shpDir)) {
            for (Path p : parts.sorted().toList()) {
                z.putNextEntry(new ZipEntry("meuse/" + p.getFileName()));
                z.write(Files.readAllBytes(p));
                z.closeEntry();
            }
        }
        FILES.add(zip);
        FILES.add(shpDir.resolve("meuse.shp"));
    }

    /** The spreadsheet export of a continental European locale. */
    private static Path semicolonDecimalComma(Path csv, Path out) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        StringBuilder b = new StringBuilder(lines.get(0).replace(',', ';')).append(";soil\r\n");
        for (String line : lines.subList(1, lines.size())) {
            b.append(line.replace(',', ';').replace('.', ',')).append(";klei é\r\n");
        }
        Files.write(out, b.toString().getBytes(Charset.forName("windows-1252")));
        return out;
    }

    private static void ogr2ogr(String driver, Path out, Path in, String... open) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ogr2ogr", "-f", driver));
        cmd.addAll(List.of(open));
        cmd.addAll(List.of(out.toString(), in.toString()));
        if (driver.equals("GPKG")) {
            cmd.addAll(List.of("-nln", "meuse"));
        }
        Gdal.run(cmd.toArray(new String[0]));
    }

    /** A run with its progress lines (written to the process's standard error) in {@code err}. */
    static CommandLineTest.Run withProgress(String... args) {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
        CommandLineTest.Run r;
        try {
            System.setErr(new java.io.PrintStream(progress, true, StandardCharsets.UTF_8));
            r = CommandLineTest.run(args);
        } finally {
            System.setErr(saved);
        }
        return new CommandLineTest.Run(r.code(), r.out(), progress.toString(StandardCharsets.UTF_8) + r.err());
    }

    @Test
    void everyFormatGivesTheSameModel() throws IOException {
        String reference = null;
        for (Path f : FILES) {
            String name = f.getFileName().toString();
            Path model = dir.resolve(name + ".bnf");
            List<String> args = new ArrayList<>(List.of("fit", "--data", f.toString(), "--target", "zinc", "--features",
                    "x,y", "--standardize", "x,y", "--width", "8", "--ensemble", "2", "--epochs", "30", "--threads", "1",
                    "--residual-kriging", "no", "--device", "java", "--output", model.toString()));
            if (name.endsWith(".csv")) {
                args.addAll(List.of("--crs", "EPSG:28992"));
            }
            CommandLineTest.Run fit = CommandLineTest.run(args.toArray(new String[0]));
            assertEquals(0, fit.code(), name + ": " + fit.err());
            BayesNFModel m = ModelFile.load(model);
            assertEquals("EPSG:28992", m.georeference().orElseThrow().crs(), name);
            Path pred = dir.resolve(name + ".pred.csv");
            CommandLineTest.Run p = CommandLineTest.run("predict", "--model", model.toString(), "--data",
                    HybridCommandLineTest.MEUSE.toString(), "--device", "java", "--threads", "1", "--output", pred.toString());
            assertEquals(0, p.code(), name + ": " + p.err());
            String predictions = Files.readString(pred);
            if (reference == null) {
                reference = predictions;
            } else {
                assertEquals(reference, predictions, name + " gives another model than meuse.csv");
            }
        }
        CommandLineTest.Run excel = withProgress("fit", "--data", dir.resolve("meuse-excel.csv").toString(),
                "--target", "zinc", "--features", "x,y", "--crs", "EPSG:28992", "--width", "4", "--ensemble", "1",
                "--epochs", "2", "--residual-kriging", "no", "--device", "java", "--output", dir.resolve("x.bnf").toString());
        assertTrue(excel.err().contains("';' delimited, decimal comma, windows-1252"), excel.err());
    }

    @Test
    void aForcedWrongDialectSaysHowTheFileWasRead() {
        CommandLineTest.Run r = CommandLineTest.run("fit", "--data", dir.resolve("meuse-excel.csv").toString(),
                "--delimiter", ",", "--target", "zinc", "--features", "x,y", "--output", dir.resolve("y.bnf").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("line 2") && r.err().contains("read as ',' delimited"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void missingFeatureValuesAreNamedOrLeftOutWithACount() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(HybridCommandLineTest.MEUSE));
        lines.set(5, lines.get(5).replaceFirst(",[^,]*,([^,]*)$", ",NA,$1")); // elev of line 6
        Path f = dir.resolve("meuse-na.csv");
        Files.write(f, lines);
        String[] fit = {"fit", "--data", f.toString(), "--target", "zinc", "--features", "x,y,elev", "--coordinates",
            "x,y", "--crs", "EPSG:28992", "--width", "4", "--ensemble", "1", "--epochs", "2", "--residual-kriging", "no",
            "--device", "java", "--output", dir.resolve("na.bnf").toString()};
        CommandLineTest.Run r = CommandLineTest.run(fit);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("line 6, column 'elev': missing value") && r.err().contains("--drop-missing"), r.err());
        List<String> drop = new ArrayList<>(List.of(fit));
        drop.add("--drop-missing");
        r = withProgress(drop.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("1 row left out: 1 without 'elev'"), r.err());
    }

    @Test
    void datesInTheUsersFormat() throws IOException {
        Path f = dir.resolve("daily.csv");
        StringBuilder b = new StringBuilder("date,x,y,v\n");
        for (int d = 1; d <= 28; d++) {
            for (int s = 0; s < 3; s++) {
                b.append(String.format("%02d/02/2021,%d,%d,%.3f%n", d, 180000 + 500 * s, 331000 + 400 * s, Math.sin(d + s)));
            }
        }
        Files.writeString(f, b.toString());
        String[] fit = {"fit", "--data", f.toString(), "--target", "v", "--time", "date", "--freq", "D", "--features",
            "x,y", "--crs", "EPSG:28992", "--width", "4", "--ensemble", "1", "--epochs", "2", "--residual-kriging", "no",
            "--device", "java", "--output", dir.resolve("daily.bnf").toString()};
        CommandLineTest.Run r = CommandLineTest.run(fit);
        assertEquals(2, r.code(), r.err());
        List<String> withFormat = new ArrayList<>(List.of(fit));
        withFormat.addAll(List.of("--time-format", "dd/MM/yyyy"));
        r = CommandLineTest.run(withFormat.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        withFormat.set(withFormat.size() - 1, "MM/dd/yyyy");
        r = CommandLineTest.run(withFormat.toArray(new String[0]));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("column 'date': '13/02/2021' does not match the time format MM/dd/yyyy"),
                r.err());
    }

    /** A fit that could not be saved is not started; a missing model is named as missing. */
    @Test
    void outputAndModelFilesAreCheckedFirst() {
        CommandLineTest.Run r = CommandLineTest.run("fit", "--data", HybridCommandLineTest.MEUSE.toString(), "--target",
                "zinc", "--features", "x,y", "--output", dir.resolve("missing").resolve("m.bnf").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing does not exist") && !r.err().contains(".tmp"), r.err());
        r = CommandLineTest.run("predict", "--model", dir.resolve("none.bnf").toString(), "--data",
                HybridCommandLineTest.MEUSE.toString(), "--output", dir.resolve("p.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("none.bnf: no such file"), r.err());
    }

    /** --lower-bound 0: no quantile below 0, each the unbounded one raised to 0. */
    @Test
    void aLowerBoundKeepsQuantilesAboveIt() throws IOException {
        Path model = dir.resolve("bound.bnf");
        CommandLineTest.Run r = CommandLineTest.run("fit", "--data", HybridCommandLineTest.MEUSE.toString(), "--target",
                "zinc", "--features", "x,y", "--crs", "EPSG:28992", "--width", "8", "--ensemble", "2", "--epochs", "30",
                "--residual-kriging", "no", "--device", "java", "--threads", "1", "--output", model.toString());
        assertEquals(0, r.code(), r.err());
        Path free = dir.resolve("free.csv");
        Path bounded = dir.resolve("bounded.csv");
        for (Path out : List.of(free, bounded)) {
            List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--data",
                    HybridCommandLineTest.MEUSE.toString(), "--device", "java", "--output", out.toString()));
            if (out == bounded) {
                args.addAll(List.of("--lower-bound", "0"));
            }
            r = CommandLineTest.run(args.toArray(new String[0]));
            assertEquals(0, r.code(), r.err());
        }
        double[] f = dev.bayesnf.service.process.CsvTables.read(free).numeric("q0.025", false);
        double[] b = dev.bayesnf.service.process.CsvTables.read(bounded).numeric("q0.025", false);
        for (int i = 0; i < f.length; i++) {
            assertEquals(Math.max(f[i], 0), b[i], 1e-9 * Math.max(1, Math.abs(f[i])), "row " + i);
        }
    }
}
