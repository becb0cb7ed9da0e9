package dev.bayesnf.cli;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.core.kriging.ResidualKriging;
import dev.bayesnf.service.process.ResidualVariogram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bayesnf variogram}: the fitted residual variogram of a model, as JSON, CSV or a PNG plot. */
@Command(name = "variogram", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write the empirical and fitted space-time variogram of a model's residuals (a model fitted"
                + " with residual kriging): JSON, CSV, or a PNG plot of the empirical points and the fitted curve per"
                + " time lag. Semivariances in the target's units squared, distances in km (longitude/latitude) or"
                + " the CRS unit (metres for projected CRSs), lags in time steps.")
final class VariogramCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.bnf", description = "Model file from 'bayesnf fit' (with residual kriging).")
    Path model;

    @Option(names = "--output", required = true, paramLabel = "OUT.json|OUT.csv|OUT.png", description = "File to write; its extension picks the format unless --format is given.")
    Path output;

    @Option(names = "--format", paramLabel = "json|csv|png", description = "Output format (default: from the file extension).")
    String format;

    @Option(names = "--places", defaultValue = "observed", paramLabel = "observed|new", description = "Which hybrid's variogram, for a model with time that has two: the one for the training's places (observed, default) or the one for places never observed, such as maps (new).")
    String places;

    @Option(names = "--width", defaultValue = "720", description = "PNG width in pixels (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "480", description = "PNG height in pixels (default ${DEFAULT-VALUE}).")
    int height;

    @Override
    public Integer call() throws Exception {
        String f = format != null ? format.trim().toLowerCase(Locale.ROOT) : extension(output);
        if (!f.equals("json") && !f.equals("csv") && !f.equals("png")) {
            throw new IllegalArgumentException(format != null ? "--format must be json, csv or png, got '" + format + "'"
                    : "--output: cannot tell the format from '" + output.getFileName()
                            + "' (use .json, .csv or .png, or --format)");
        }
        if (width < 100 || height < 100 || width > 8000 || height > 8000) {
            throw new IllegalArgumentException("--width and --height must be between 100 and 8000, got " + width
                    + " x " + height);
        }
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output: directory " + dir + " does not exist");
        }
        BayesNFModel m = ModelFile.load(model);
        ResidualKriging rk = m.residualKriging().orElseThrow(() -> new IllegalArgumentException(model.getFileName()
                + " was fitted without residual kriging, so it has no residual variogram (fit it with"
                + " --residual-kriging yes and coordinate columns)"));
        String which = places.trim().toLowerCase(Locale.ROOT);
        if (which.equals("new")) {
            rk = m.newPlaces().orElseThrow(() -> new IllegalArgumentException(model.getFileName()
                    + " has one hybrid for every place (a model without time, one cross-validated by whole places,"
                    + " or fitted with --cv-new-places no); use --places observed")).kriging();
        } else if (!which.equals("observed")) {
            throw new IllegalArgumentException("--places must be observed or new, got '" + places + "'");
        }
        byte[] bytes = switch (f) {
            case "png" -> ResidualVariogram.png(m, rk, width, height);
            case "csv" -> ResidualVariogram.csv(m, rk).getBytes(StandardCharsets.UTF_8);
            default -> ResidualVariogram.json(m, rk).getBytes(StandardCharsets.UTF_8);
        };
        Path tmp = Files.createTempFile(dir, "." + output.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        System.err.println("wrote " + output + " (" + rk.model().describe(rk.metric().unit()) + " in scaled units; "
                + "calibration " + String.format(Locale.ROOT, "%.3g", rk.calibration()) + ")");
        return 0;
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
