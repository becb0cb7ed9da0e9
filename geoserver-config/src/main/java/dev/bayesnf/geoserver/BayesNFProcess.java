package dev.bayesnf.geoserver;

import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.InputSpec;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ModelStore;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.OutputValue;
import dev.bayesnf.service.process.ProcessInputs;
import dev.bayesnf.service.process.ProcessSpec;
import dev.bayesnf.service.raster.GeoTiff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.geotools.api.util.ProgressListener;
import org.geotools.data.simple.SimpleFeatureCollection;
import org.geotools.geometry.jts.ReferencedEnvelope;
import org.geotools.process.Process;
import org.geotools.process.ProcessException;

/**
 * One BayesNF process as a GeoTools {@link Process}: converts the GeoTools inputs to the
 * project's ({@link FeatureTables}, {@link Coverages}), runs the project's process unchanged in a
 * scratch folder with a {@link ListenerContext} over the progress listener, and converts its
 * outputs back (GeoTIFF results are read into a {@code GridCoverage2D}, text documents into
 * strings). The scratch folder is removed afterwards; fitted models stay in the model folder.
 *
 * <p>For point inputs in a projected or non-WGS 84 CRS, the {@code coordinates} and {@code crs}
 * inputs of Fit and Variogram are filled in from the collection when the caller left them out,
 * so the model is georeferenced the way the features are.
 *
 * <p>Errors: the project's {@code ProcessException} (a refused request, naming the input) and a
 * dismissed execution become GeoTools {@link ProcessException}s with the same message; GeoServer
 * reports them as {@code ows:ExceptionReport}.
 *
 * <p>Thread-safe: each execution has its own state.
 */
final class BayesNFProcess implements Process {
    private final BayesProcess process;
    private final PluginEnvironment env;
    private final ModelStore models;

    BayesNFProcess(BayesProcess process, PluginEnvironment env, ModelStore models) {
        this.process = process;
        this.env = env;
        this.models = models;
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> input, ProgressListener monitor) throws ProcessException {
        ProgressListener listener = monitor == null ? new ListenerContext.Silent() : monitor;
        ProcessSpec spec = process.spec();
        String jobId = UUID.randomUUID().toString();
        Path dir = env.workDir().resolve(jobId);
        listener.started();
        try {
            ProcessInputs in = new ProcessInputs(spec, inputs(spec, input == null ? Map.of() : input));
            process.validate(in, models);
            Files.createDirectories(dir);
            Map<String, OutputValue> out = process.execute(in, new ListenerContext(jobId, dir, listener, models));
            Map<String, Object> result = outputs(spec, out);
            listener.complete();
            return result;
        } catch (dev.bayesnf.service.process.ProcessException e) {
            listener.exceptionOccurred(e);
            throw new ProcessException(spec.id() + ": " + e.getMessage()
                    + (e.locator() == null ? "" : " [" + e.code().owsCode() + ", input " + e.locator() + "]"), e);
        } catch (java.util.concurrent.CancellationException e) {
            throw new ProcessException(spec.id() + ": the execution was dismissed", e);
        } catch (RuntimeException | IOException e) {
            listener.exceptionOccurred(e);
            throw new ProcessException(spec.id() + " failed: " + e, e);
        } catch (Exception e) {
            listener.exceptionOccurred(e);
            throw new ProcessException(spec.id() + " failed: " + e, e);
        } finally {
            deleteTree(dir);
        }
    }

    /** The GeoTools inputs as the project's input values; a collection value is a repeated input. */
    static Map<String, List<InputValue>> inputs(ProcessSpec spec, Map<String, Object> input) {
        Map<String, List<InputValue>> values = new LinkedHashMap<>();
        Map<String, String> hints = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : input.entrySet()) {
            String id = e.getKey();
            if (e.getValue() == null) {
                continue;
            }
            if (spec.input(id).isEmpty()) {
                throw dev.bayesnf.service.process.ProcessException.invalid(id, "process " + spec.id()
                        + " has no input '" + id + "'; inputs: " + spec.inputs().stream().map(InputSpec::id).toList());
            }
            Collection<?> items = e.getValue() instanceof Collection<?> c ? c : List.of(e.getValue());
            List<InputValue> list = new ArrayList<>();
            for (Object v : items) {
                if (v == null) {
                    continue;
                }
                if (v instanceof SimpleFeatureCollection fc) {
                    FeatureTables.FeatureTable t = FeatureTables.of(id, fc);
                    list.add(new InputValue.Complex(t.csv(), "text/csv"));
                    hints.putIfAbsent("coordinates", t.xColumn() + "," + t.yColumn());
                    if (!t.crs().equals("EPSG:4326")) {
                        hints.putIfAbsent("crs", t.crs());
                    }
                } else {
                    list.add(value(id, v));
                }
            }
            if (!list.isEmpty()) {
                values.put(id, list);
            }
        }
        hints.forEach((id, v) -> {
            if (spec.input(id).isPresent() && !values.containsKey(id)) {
                values.put(id, List.of(new InputValue.Literal(v)));
            }
        });
        return values;
    }

    private static InputValue value(String id, Object v) {
        if (v instanceof ReferencedEnvelope env) {
            return Coverages.boundingBox(id, env);
        }
        if (v instanceof byte[] b) {
            return new InputValue.Complex(b.clone(), null);
        }
        if (v instanceof Date || v instanceof Number || v instanceof Boolean || v instanceof CharSequence
                || v instanceof java.time.temporal.TemporalAccessor) {
            return new InputValue.Literal(FeatureTables.text(v));
        }
        throw dev.bayesnf.service.process.ProcessException.invalid(id, "input '" + id + "': a "
                + v.getClass().getSimpleName() + " cannot be used here");
    }

    /** The project's output values as the GeoTools results the factory describes. */
    static Map<String, Object> outputs(ProcessSpec spec, Map<String, OutputValue> out) throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        for (OutputSpec o : spec.outputs()) {
            Class<?> type = Parameters.outputType(o);
            OutputValue v = out.get(o.id());
            if (type == null || v == null) {
                continue;
            }
            if (v instanceof OutputValue.Literal l) {
                result.put(o.id(), l.value());
            } else if (v instanceof OutputValue.Document d) {
                if (Parameters.isTiff(d.format())) {
                    var product = GeoTiff.read(d.file());
                    String local = spec.id().substring(spec.id().indexOf(':') + 1);
                    result.put(o.id(), Coverages.coverage(local.toLowerCase(java.util.Locale.ROOT) + "_"
                            + product.target(), product));
                } else {
                    result.put(o.id(), Files.readString(d.file(), StandardCharsets.UTF_8));
                }
            }
        }
        return result;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // scratch files only; the next execution uses a new folder
        }
    }
}
