package dev.bayesnf.geoserver;

import dev.bayesnf.service.process.DataKind;
import dev.bayesnf.service.process.Format;
import dev.bayesnf.service.process.Formats;
import dev.bayesnf.service.process.InputSpec;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.ProcessSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.geotools.api.data.Parameter;
import org.geotools.coverage.grid.GridCoverage2D;
import org.geotools.data.simple.SimpleFeatureCollection;
import org.geotools.geometry.jts.ReferencedEnvelope;
import org.geotools.util.SimpleInternationalString;

/**
 * The GeoTools parameter descriptions of a process, derived from its one {@link ProcessSpec} so
 * GeoServer's DescribeProcess says what the service's does. Types: observation documents (CSV /
 * GeoJSON inputs) are {@link SimpleFeatureCollection}s, bounding boxes {@link ReferencedEnvelope}s,
 * literals {@code Integer}, {@code Double}, {@code Boolean} or {@code String}; GeoTIFF outputs are
 * {@link GridCoverage2D}s (GeoServer encodes them as {@code image/tiff} and {@code gs:Import}
 * takes them), text documents (CSV, JSON) and literals are {@code String}s. Allowed values go into
 * the {@link Parameter#OPTIONS} metadata and numeric ranges into {@link Parameter#MIN} and
 * {@link Parameter#MAX}.
 *
 * <p>Two outputs are left out: {@code layer} of Forecast/Interpolate (GeoServer publishes through
 * {@code gs:Import} instead) and {@code modelFile} of Fit (the model stays in the plugin's model
 * folder under the returned id).
 *
 * <p>Stateless and thread-safe.
 */
final class Parameters {
    /** Outputs that have no meaning inside GeoServer. */
    static final Set<String> LEFT_OUT = Set.of("layer", "modelFile");

    private Parameters() {}

    static Map<String, Parameter<?>> inputs(ProcessSpec spec) {
        Map<String, Parameter<?>> m = new LinkedHashMap<>();
        for (InputSpec in : spec.inputs()) {
            m.put(in.id(), input(in));
        }
        return m;
    }

    static Map<String, Parameter<?>> outputs(ProcessSpec spec) {
        Map<String, Parameter<?>> m = new LinkedHashMap<>();
        for (OutputSpec out : spec.outputs()) {
            Class<?> type = outputType(out);
            if (type != null) {
                m.put(out.id(), parameter(out.id(), type, out.title(), out.description(), true, 1, 1, null, null));
            }
        }
        return m;
    }

    /** The Java type of an input. */
    static Class<?> inputType(InputSpec in) {
        if (in.kind() == DataKind.BBOX) {
            return ReferencedEnvelope.class;
        }
        if (in.kind() == DataKind.COMPLEX) {
            return in.formats().stream().anyMatch(f -> f.mimeType().equals("text/csv")) ? SimpleFeatureCollection.class
                    : String.class;
        }
        return switch (in.dataType() == null ? "string" : in.dataType()) {
            case "integer" -> Integer.class;
            case "double" -> Double.class;
            case "boolean" -> Boolean.class;
            default -> String.class;
        };
    }

    /** The Java type of an output, or null when it is left out. */
    static Class<?> outputType(OutputSpec out) {
        if (LEFT_OUT.contains(out.id())) {
            return null;
        }
        if (out.kind() != DataKind.COMPLEX) {
            return String.class;
        }
        Format f = out.formats().get(0);
        if (isTiff(f)) {
            return GridCoverage2D.class;
        }
        return f.binary() ? null : String.class;
    }

    static boolean isTiff(Format f) {
        return f == Formats.TIFF || f == Formats.GEOTIFF || f == Formats.GEOTIFF_OGCAPI;
    }

    private static Parameter<?> input(InputSpec in) {
        Class<?> type = inputType(in);
        Map<String, Object> md = new HashMap<>();
        if (!in.allowedValues().isEmpty()) {
            md.put(Parameter.OPTIONS, List.copyOf(in.allowedValues()));
        }
        if (in.minimum() != null) {
            md.put(Parameter.MIN, type == Integer.class ? (Object) (int) (double) in.minimum() : in.minimum());
        }
        if (in.maximum() != null) {
            md.put(Parameter.MAX, type == Integer.class ? (Object) (int) (double) in.maximum() : in.maximum());
        }
        if (in.kind() == DataKind.BBOX && !in.crs().isEmpty()) {
            md.put(Parameter.CRS, in.crs().get(0));
        }
        String description = in.description() + (in.unit() == null ? "" : " (" + in.unit() + ")");
        return parameter(in.id(), type, in.title(), description, in.minOccurs() > 0, in.minOccurs(), in.maxOccurs(),
                sample(type, in.defaultValue()), md.isEmpty() ? null : md);
    }

    private static Object sample(Class<?> type, String text) {
        if (text == null) {
            return null;
        }
        if (type == Integer.class) {
            return Integer.valueOf(text);
        }
        if (type == Double.class) {
            return Double.valueOf(text);
        }
        if (type == Boolean.class) {
            return Boolean.valueOf(text);
        }
        return type == String.class ? text : null;
    }

    private static <T> Parameter<T> parameter(String key, Class<T> type, String title, String description,
            boolean required, int min, int max, Object sample, Map<String, Object> metadata) {
        return new Parameter<>(key, type, new SimpleInternationalString(title), new SimpleInternationalString(description),
                required, min, max, type.cast(sample), metadata);
    }
}
