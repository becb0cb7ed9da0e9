package dev.bayesnf.core;

import dev.bayesnf.core.kriging.ResidualKriging;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The {@code .bnf} model file, format version 5 (versions 1 to 4 are read too): a ZIP archive (entries CRC-checked) with
 * <ul>
 *   <li>{@code model.properties} (UTF-8): {@code format=bayesnf-model}, {@code format.version=1}, the
 *       {@link ModelSpec} ({@code spec.*}), the {@link TrainConfig} ({@code train.*}), the data
 *       statistics ({@code stats.*}, doubles as exact hexadecimal literals) and provenance
 *       ({@code provenance.*}, the entries of {@link ModelProvenance});
 *   <li>{@code components.f32}: big-endian int32 K, int32 P, then K·P float32 parameters in the
 *       layout of {@link FeatureLayout};
 *   <li>{@code losses.f32}: int32 K, int32 E, then the K·E float32 loss trace;
 *   <li>with residual kriging ({@code kriging.*} properties: metric, time unit, neighbours,
 *       window, calibration, placeScale, the covariance model's parameters, and constantTrend when
 *       the residuals are about a constant rather than the network), {@code residuals.f64}:
 *       int32 n, then n rows of x, y, raw time and residual (target's scaled units; divided by the
 *       place's scale with placeScale) as big-endian float64, {@code scales.f64} with placeScale
 *       (x, y, scale per place),
 *       and {@code variogram.f64}: the empirical variogram it was fitted to (distance, lag, pairs,
 *       semivariance per bin); {@code kriging.fallbackPower} with a fallback to BayesNF alone,
 *       {@code kriging.ordinary} for ordinary kriging, {@code kriging.quantileLevels} (the
 *       {@link dev.bayesnf.core.kriging.QuantileRecalibration} table), and
 *       {@code trend.f32} (as {@code components.f32}) when the residuals are about a trend
 *       network other than the model's own;
 *   <li>with a separate hybrid at places the training never observed ({@link NewPlacesHybrid}),
 *       the same properties under {@code newPlaces.kriging.} and the same entries named
 *       {@code newplaces-residuals.f64}, {@code newplaces-scales.f64},
 *       {@code newplaces-variogram.f64}, {@code newplaces-trend.f32}.
 * </ul>
 * Files are written to a temporary file, forced to the device and renamed (the folder forced
 * too), so a failed save or a crash leaves the old file or the whole new one.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelFile {
    /**
     * The format version this build writes. Version 3 added the hybrid's own trend network
     * ({@code trend.f32}) and the fallback to BayesNF alone ({@code kriging.fallbackPower}): a
     * build that read them as version 2 would krige residuals about the wrong network. Version 4
     * added ordinary kriging ({@code kriging.ordinary}), which a version-3 reader would take for
     * simple kriging. Version 5 added the hybrid at new places ({@code newPlaces.kriging.*},
     * {@code newplaces-*} entries) and the recalibrated quantile levels
     * ({@code kriging.quantileLevels}), which a version-4 reader would ignore and so predict maps
     * between stations with the hybrid chosen for gap filling, at the normal error's levels.
     */
    public static final int VERSION = 5;
    /** The oldest format version this build reads (version 1: no target scaling, no residual kriging). */
    public static final int OLDEST_READABLE = 1;
    private static final String FORMAT = "bayesnf-model";
    /** The prefix of the properties of the hybrid at new places ({@link NewPlacesHybrid}). */
    private static final String NEW_PLACES = "newPlaces.";
    /** The prefix of the names of its entries. */
    private static final String NEW_PLACES_ENTRY = "newplaces-";

    private ModelFile() {}

    /** Writes {@code model} to {@code path} atomically and durably ({@link DurableFiles}). */
    public static void save(BayesNFModel model, Path path) throws IOException {
        DurableFiles.write(path, out -> write(model, out));
    }

    /** Writes {@code model} to a stream. */
    public static void write(BayesNFModel model, OutputStream stream) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("format.version", Integer.toString(VERSION));
        ModelSpec s = model.spec();
        p.setProperty("spec.target", s.target());
        if (s.time() != null) {
            p.setProperty("spec.time", s.time());
        }
        if (s.freq() != null) {
            p.setProperty("spec.freq", s.freq().alias());
        }
        p.setProperty("spec.features", String.join(",", s.features()));
        p.setProperty("spec.standardize", String.join(",", s.standardize()));
        p.setProperty("spec.seasonality", String.join(",", s.seasonality()));
        p.setProperty("spec.harmonics", join(s.harmonics()));
        p.setProperty("spec.fourierDegrees", join(s.fourierDegrees()));
        p.setProperty("spec.interactions", s.interactions().stream()
                .map(x -> x.get(0) + ":" + x.get(1)).collect(Collectors.joining(",")));
        p.setProperty("spec.width", Integer.toString(s.width()));
        p.setProperty("spec.depth", Integer.toString(s.depth()));
        p.setProperty("spec.likelihood", s.likelihood().name());
        p.setProperty("spec.targetScaling", s.targetScaling().id());
        TrainConfig c = model.config();
        p.setProperty("train.estimator", c.estimator().name());
        p.setProperty("train.ensemble", Integer.toString(c.ensemble()));
        p.setProperty("train.epochs", Integer.toString(c.epochs()));
        p.setProperty("train.batch", Integer.toString(c.batch()));
        p.setProperty("train.learningRate", Double.toString(c.learningRate()));
        p.setProperty("train.seed", Long.toString(c.seed()));
        p.setProperty("train.klWeight", Double.toString(c.klWeight()));
        p.setProperty("train.mcSamples", Integer.toString(c.mcSamples()));
        p.setProperty("train.posteriorSamples", Integer.toString(c.posteriorSamples()));
        p.setProperty("train.threads", Integer.toString(c.threads()));
        TrainingStatistics st = model.stats();
        p.setProperty("stats.timeMin", Double.toHexString(st.timeMin()));
        p.setProperty("stats.timeScale", Double.toHexString(st.timeScale()));
        p.setProperty("stats.mean", hex(st.mean()));
        p.setProperty("stats.std", hex(st.std()));
        p.setProperty("stats.targetMean", Double.toHexString(st.targetMean()));
        p.setProperty("stats.targetStd", Double.toHexString(st.targetStd()));
        model.provenance().forEach((k, v) -> p.setProperty("provenance." + k, v));
        model.georeference().ifPresent(g -> {
            p.setProperty("geo.x", g.x());
            p.setProperty("geo.y", g.y());
            p.setProperty("geo.crs", g.crs());
            p.setProperty("geo.extent", hex(new double[] {g.minX(), g.minY(), g.maxX(), g.maxY()}));
        });
        ResidualKriging rk = model.residualKriging().orElse(null);
        if (rk != null) {
            KrigingEntries.put(p, "kriging.", rk);
        }
        NewPlacesHybrid np = model.newPlaces().orElse(null);
        if (np != null) {
            KrigingEntries.put(p, NEW_PLACES + "kriging.", np.kriging());
        }
        StringWriter text = new StringWriter();
        p.store(text, "BayesNF model (format " + VERSION + ")");
        ZipOutputStream zip = new ZipOutputStream(stream);
        zip.putNextEntry(entry("model.properties"));
        zip.write(sorted(text.toString()).getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        zip.putNextEntry(entry("components.f32"));
        zip.write(matrix(model.components()));
        zip.closeEntry();
        zip.putNextEntry(entry("losses.f32"));
        zip.write(matrix(model.losses()));
        zip.closeEntry();
        if (model.trendComponents().isPresent()) {
            zip.putNextEntry(entry("trend.f32"));
            zip.write(matrix(model.trendComponents().get()));
            zip.closeEntry();
        }
        if (rk != null) {
            KrigingEntries.write(zip, "", rk);
        }
        if (np != null) {
            if (np.trend() != null) {
                zip.putNextEntry(entry(NEW_PLACES_ENTRY + "trend.f32"));
                zip.write(matrix(np.trend()));
                zip.closeEntry();
            }
            KrigingEntries.write(zip, NEW_PLACES_ENTRY, np.kriging());
        }
        zip.finish();
    }

    /**
     * A zip entry with a fixed modification time (the earliest a zip records, 1980-01-01, in
     * local form, so no time zone enters the bytes): left unset, the writer stamps the clock's
     * time in two-second steps, and one model written twice could differ in those bytes.
     */
    static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0));
        return e;
    }

    /**
     * Reads a model file.
     *
     * @throws ModelFileException when the file is not a BayesNF model, is of another format
     *     version, or is damaged
     */
    public static BayesNFModel load(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        }
    }

    /** Reads a model from a stream; {@code name} is used in messages. */
    public static BayesNFModel read(InputStream stream, String name) throws IOException {
        Properties p = null;
        float[][] comps = null;
        float[][] losses = null;
        Map<String, byte[]> entries = new TreeMap<>();
        try {
            ZipInputStream zip = new ZipInputStream(stream);
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                byte[] bytes = zip.readAllBytes();
                switch (e.getName()) {
                    case "model.properties":
                        p = new Properties();
                        p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
                        break;
                    case "components.f32":
                        comps = readMatrix(bytes);
                        break;
                    case "losses.f32":
                        losses = readMatrix(bytes);
                        break;
                    default:
                        // the kriging's entries and those of the new places' hybrid, read once the
                        // properties say what they are
                        entries.put(e.getName(), bytes);
                        break;
                }
            }
        } catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
            throw new ModelFileException(name + " is damaged or not a BayesNF model file (" + e.getMessage() + ")");
        }
        if (p == null || !FORMAT.equals(p.getProperty("format"))) {
            throw new ModelFileException(name + " is not a BayesNF model file");
        }
        String version = p.getProperty("format.version");
        int v;
        try {
            v = Integer.parseInt(version == null ? "" : version.trim());
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < OLDEST_READABLE || v > VERSION) {
            throw new ModelFileException(name + " has model format version " + version
                    + "; this build reads versions " + OLDEST_READABLE + " to " + VERSION);
        }
        if (comps == null || losses == null) {
            throw new ModelFileException(name + " is damaged: parameters or losses are missing");
        }
        try {
            ModelSpec spec = new ModelSpec(req(p, "spec.target"), p.getProperty("spec.time"),
                    p.getProperty("spec.freq") == null ? null : Frequency.parse(p.getProperty("spec.freq")),
                    list(p.getProperty("spec.features")), list(p.getProperty("spec.standardize")),
                    list(p.getProperty("spec.seasonality")), ints(p.getProperty("spec.harmonics")),
                    ints(p.getProperty("spec.fourierDegrees")), pairs(p.getProperty("spec.interactions")),
                    Integer.parseInt(req(p, "spec.width")), Integer.parseInt(req(p, "spec.depth")),
                    ObservationModel.valueOf(req(p, "spec.likelihood")),
                    TargetScaling.parse(p.getProperty("spec.targetScaling", "none")));
            TrainConfig config = new TrainConfig(Estimator.valueOf(req(p, "train.estimator")),
                    Integer.parseInt(req(p, "train.ensemble")), Integer.parseInt(req(p, "train.epochs")),
                    Integer.parseInt(req(p, "train.batch")), Double.parseDouble(req(p, "train.learningRate")),
                    Long.parseLong(req(p, "train.seed")), Double.parseDouble(req(p, "train.klWeight")),
                    Integer.parseInt(req(p, "train.mcSamples")), Integer.parseInt(req(p, "train.posteriorSamples")),
                    Integer.parseInt(req(p, "train.threads")));
            TrainingStatistics stats = new TrainingStatistics(Double.parseDouble(req(p, "stats.timeMin")),
                    Double.parseDouble(req(p, "stats.timeScale")), doubles(p.getProperty("stats.mean")),
                    doubles(p.getProperty("stats.std")),
                    Double.parseDouble(p.getProperty("stats.targetMean", "0")),
                    Double.parseDouble(p.getProperty("stats.targetStd", "1")));
            Map<String, String> prov = new TreeMap<>();
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith("provenance.")) {
                    prov.put(k.substring("provenance.".length()), p.getProperty(k));
                }
            }
            Georeference geo = null;
            if (p.getProperty("geo.x") != null) {
                double[] e = doubles(req(p, "geo.extent"));
                if (e.length != 4) {
                    throw new IllegalArgumentException("'geo.extent' needs 4 numbers");
                }
                geo = new Georeference(p.getProperty("geo.x"), req(p, "geo.y"), req(p, "geo.crs"),
                        e[0], e[1], e[2], e[3]);
            }
            ResidualKriging rk = KrigingEntries.read(p, "kriging.", entries, "", geo);
            float[][] trend = KrigingEntries.matrix(entries.get("trend.f32"), "trend.f32");
            if (trend != null && rk == null) {
                throw new IllegalArgumentException("a trend network without residual kriging");
            }
            ResidualKriging newRk = KrigingEntries.read(p, NEW_PLACES + "kriging.", entries, NEW_PLACES_ENTRY, geo);
            byte[] newTrend = entries.get(NEW_PLACES_ENTRY + "trend.f32");
            if ((newRk != null || newTrend != null) && rk == null) {
                throw new IllegalArgumentException("a hybrid for new places without residual kriging");
            }
            if (newTrend != null && newRk == null) {
                throw new IllegalArgumentException("a trend network for new places without its kriging");
            }
            return new BayesNFModel(spec, config, stats, comps, losses, ModelProvenance.fromEntries(prov), geo, rk,
                    trend, newRk == null ? null : new NewPlacesHybrid(newRk, KrigingEntries.matrix(newTrend,
                            NEW_PLACES_ENTRY + "trend.f32")));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(name + " is damaged: " + e.getMessage());
        }
    }

    static String req(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("missing '" + key + "'");
        }
        return v;
    }

    private static String sorted(String propertiesText) {
        List<String> lines = new ArrayList<>(Arrays.asList(propertiesText.split("\n")));
        List<String> header = new ArrayList<>();
        while (!lines.isEmpty() && lines.get(0).startsWith("#")) {
            header.add(lines.remove(0));
        }
        lines.sort(null);
        header.remove(header.size() > 1 ? 1 : 0); // drop the timestamp line Properties writes
        header.addAll(lines);
        return String.join("\n", header) + "\n";
    }

    private static String join(List<Integer> v) {
        return v.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String hex(double[] v) {
        return Arrays.stream(v).mapToObj(Double::toHexString).collect(Collectors.joining(","));
    }

    private static List<String> list(String s) {
        if (s == null || s.isEmpty()) {
            return List.of();
        }
        return List.of(s.split(","));
    }

    private static List<Integer> ints(String s) {
        return list(s).stream().map(Integer::valueOf).collect(Collectors.toList());
    }

    private static double[] doubles(String s) {
        return list(s).stream().mapToDouble(Double::parseDouble).toArray();
    }

    private static List<List<String>> pairs(String s) {
        List<List<String>> r = new ArrayList<>();
        for (String x : list(s)) {
            r.add(List.of(x.split(":", 2)));
        }
        return r;
    }

    static byte[] matrix(float[][] m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(m.length);
        out.writeInt(m.length == 0 ? 0 : m[0].length);
        for (float[] row : m) {
            for (float v : row) {
                out.writeFloat(v);
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** int32 n, then n rows of the given columns as big-endian float64. */
    static byte[] columns(double[]... cols) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        int n = cols[0].length;
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            for (double[] c : cols) {
                out.writeDouble(c[i]);
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    static double[][] readColumns(byte[] bytes, int k) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        int n = in.readInt();
        if (n < 0 || (long) n * k * 8 + 4 != bytes.length) {
            throw new java.io.EOFException("table of " + n + " x " + k + " does not match its size");
        }
        double[][] c = new double[k][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                c[j][i] = in.readDouble();
            }
        }
        return c;
    }

    static float[][] readMatrix(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        int k = in.readInt();
        int n = in.readInt();
        if (k < 0 || n < 0 || (long) k * n * 4 + 8 != bytes.length) {
            throw new java.io.EOFException("array of " + k + " x " + n + " does not match its size");
        }
        float[][] m = new float[k][n];
        for (float[] row : m) {
            for (int i = 0; i < n; i++) {
                row[i] = in.readFloat();
            }
        }
        return m;
    }
}
