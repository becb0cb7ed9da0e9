package dev.bayesnf.service.process;

import dev.bayesnf.service.geo.Crs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The inputs of one execution, checked against the process's {@link ProcessSpec}: unknown inputs,
 * missing required inputs, too many values, wrong kinds, values outside the allowed values or range
 * and malformed numbers are refused with a {@link ProcessException} naming the input. Typed
 * getters apply the declared defaults.
 */
public final class ProcessInputs {
    private final ProcessSpec spec;
    private final Map<String, List<InputValue>> values;

    public ProcessInputs(ProcessSpec spec, Map<String, List<InputValue>> given) {
        this.spec = spec;
        Map<String, List<InputValue>> v = new LinkedHashMap<>();
        for (Map.Entry<String, List<InputValue>> e : given.entrySet()) {
            InputSpec in = spec.input(e.getKey()).orElseThrow(() -> ProcessException.invalid(e.getKey(),
                    "process " + spec.id() + " has no input '" + e.getKey() + "'; inputs: "
                            + spec.inputs().stream().map(InputSpec::id).toList()));
            List<InputValue> list = List.copyOf(e.getValue());
            if (list.size() > in.maxOccurs()) {
                throw ProcessException.invalid(in.id(), "input '" + in.id() + "' takes at most " + in.maxOccurs()
                        + " value(s), got " + list.size());
            }
            for (InputValue x : list) {
                check(in, x);
            }
            v.put(in.id(), list);
        }
        for (InputSpec in : spec.inputs()) {
            if (in.minOccurs() > 0 && v.getOrDefault(in.id(), List.of()).isEmpty()) {
                throw ProcessException.missing(in.id(), "process " + spec.id() + " needs input '" + in.id() + "' ("
                        + in.title() + ")");
            }
        }
        this.values = v;
    }

    private static void check(InputSpec in, InputValue x) {
        switch (in.kind()) {
            case LITERAL:
                if (!(x instanceof InputValue.Literal l)) {
                    throw ProcessException.invalid(in.id(), "input '" + in.id() + "' is a literal value");
                }
                checkLiteral(in, l.value());
                break;
            case COMPLEX:
                if (x instanceof InputValue.Literal l) {
                    // KVP and JSON clients often send small documents as plain text
                    return;
                }
                if (!(x instanceof InputValue.Complex) && !(x instanceof InputValue.Reference)) {
                    throw ProcessException.invalid(in.id(), "input '" + in.id() + "' is a document (complex data)");
                }
                break;
            case BBOX:
                if (!(x instanceof InputValue.BoundingBox)) {
                    throw ProcessException.invalid(in.id(), "input '" + in.id() + "' is a bounding box");
                }
                break;
            default:
                throw new IllegalStateException();
        }
    }

    private static void checkLiteral(InputSpec in, String value) {
        String s = value == null ? "" : value.trim();
        if (!in.allowedValues().isEmpty() && in.allowedValues().stream().noneMatch(a -> a.equalsIgnoreCase(s))) {
            throw ProcessException.invalid(in.id(), "input '" + in.id() + "': '" + s + "' is not one of "
                    + in.allowedValues());
        }
        if (in.dataType() == null) {
            return;
        }
        switch (in.dataType()) {
            case "integer":
            case "double": {
                double d;
                try {
                    d = in.dataType().equals("integer") ? Long.parseLong(s) : Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw ProcessException.invalid(in.id(), "input '" + in.id() + "': '" + s + "' is not "
                            + (in.dataType().equals("integer") ? "an integer" : "a number"));
                }
                if (!Double.isFinite(d) || (in.minimum() != null && d < in.minimum())
                        || (in.maximum() != null && d > in.maximum())) {
                    throw ProcessException.invalid(in.id(), "input '" + in.id() + "': " + s + " is outside "
                            + range(in));
                }
                break;
            }
            case "boolean":
                if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
                    throw ProcessException.invalid(in.id(), "input '" + in.id() + "': '" + s + "' is not true or false");
                }
                break;
            default:
                break;
        }
    }

    private static String range(InputSpec in) {
        return "[" + (in.minimum() == null ? "-inf" : fmt(in.minimum())) + ", "
                + (in.maximum() == null ? "inf" : fmt(in.maximum())) + "]";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    public ProcessSpec spec() {
        return spec;
    }

    /** The values as given, for lineage and storage. */
    public Map<String, List<InputValue>> values() {
        return values;
    }

    public boolean has(String id) {
        return !values.getOrDefault(id, List.of()).isEmpty();
    }

    private InputSpec spec(String id) {
        return spec.input(id).orElseThrow(() -> new IllegalArgumentException("no input " + id));
    }

    /** The literal text of {@code id}, or its default, or null. */
    public String text(String id) {
        List<InputValue> v = values.get(id);
        if (v == null || v.isEmpty()) {
            return spec(id).defaultValue();
        }
        InputValue x = v.get(0);
        if (x instanceof InputValue.Literal l) {
            return l.value().trim();
        }
        if (x instanceof InputValue.Complex c) {
            return new String(c.data(), StandardCharsets.UTF_8);
        }
        throw ProcessException.invalid(id, "input '" + id + "' is not text");
    }

    /** Every literal value of a repeatable input, each also split at commas. */
    public List<String> list(String id) {
        List<String> r = new ArrayList<>();
        List<InputValue> v = values.get(id);
        if (v == null || v.isEmpty()) {
            String d = spec(id).defaultValue();
            if (d != null && !d.isBlank()) {
                for (String s : d.split(",")) {
                    r.add(s.trim());
                }
            }
            return r;
        }
        for (InputValue x : v) {
            String s = x instanceof InputValue.Literal l ? l.value() : null;
            if (s == null) {
                throw ProcessException.invalid(id, "input '" + id + "' is not text");
            }
            for (String p : s.split(",")) {
                if (!p.isBlank()) {
                    r.add(p.trim());
                }
            }
        }
        return r;
    }

    public Optional<String> optionalText(String id) {
        return Optional.ofNullable(text(id)).filter(s -> !s.isBlank());
    }

    public int integer(String id) {
        String s = text(id);
        if (s == null) {
            throw ProcessException.missing(id, "input '" + id + "' is missing");
        }
        try {
            return Math.toIntExact(Long.parseLong(s.trim()));
        } catch (NumberFormatException | ArithmeticException e) {
            throw ProcessException.invalid(id, "input '" + id + "': '" + s + "' is not an integer");
        }
    }

    public double number(String id) {
        String s = text(id);
        if (s == null) {
            throw ProcessException.missing(id, "input '" + id + "' is missing");
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw ProcessException.invalid(id, "input '" + id + "': '" + s + "' is not a number");
        }
    }

    /** Whether any input is a reference not fetched yet. */
    public boolean hasReferences() {
        return values.values().stream().flatMap(List::stream).anyMatch(x -> x instanceof InputValue.Reference);
    }

    /**
     * These inputs with every reference fetched (inside the job: no request thread waits on
     * another host).
     *
     * @throws ProcessException naming the input when a reference cannot be fetched
     */
    public ProcessInputs resolved(ReferenceFetcher fetcher) {
        if (!hasReferences()) {
            return this;
        }
        Map<String, List<InputValue>> fetched = new LinkedHashMap<>();
        for (Map.Entry<String, List<InputValue>> e : values.entrySet()) {
            List<InputValue> list = new java.util.ArrayList<>();
            for (InputValue x : e.getValue()) {
                list.add(x instanceof InputValue.Reference r ? fetcher.fetch(e.getKey(), r) : x);
            }
            fetched.put(e.getKey(), list);
        }
        return new ProcessInputs(spec, fetched);
    }

    /** A document input's bytes (a literal given for it counts as UTF-8 text). */
    public Optional<InputValue.Complex> document(String id) {
        List<InputValue> v = values.get(id);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        InputValue x = v.get(0);
        if (x instanceof InputValue.Complex c) {
            return Optional.of(c);
        }
        if (x instanceof InputValue.Literal l) {
            return Optional.of(new InputValue.Complex(l.value().getBytes(StandardCharsets.UTF_8), null));
        }
        if (x instanceof InputValue.Reference) {
            // a process reads documents when it runs, after the job fetched them
            throw new IllegalStateException("input '" + id + "' is a reference not fetched yet");
        }
        throw ProcessException.invalid(id, "input '" + id + "' is not a document");
    }

    /**
     * A bounding box input as minX, minY, maxX, maxY in east/north order with its normalized CRS
     * code; a latitude-first CRS written in its URN or URI form has its axes swapped.
     */
    public Optional<Box> bbox(String id) {
        List<InputValue> v = values.get(id);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        InputValue.BoundingBox b = (InputValue.BoundingBox) v.get(0);
        if (b.lower().length != 2 || b.upper().length != 2) {
            throw ProcessException.invalid(id, "input '" + id + "': a bounding box needs two coordinates per corner");
        }
        String raw = b.crs() == null || b.crs().isBlank() ? spec(id).crs().get(0) : b.crs();
        String code;
        try {
            code = Crs.normalize(raw);
            Crs.parse(code);
        } catch (IllegalArgumentException e) {
            throw ProcessException.invalid(id, "input '" + id + "': " + e.getMessage());
        }
        boolean swap = latitudeFirstSpelling(raw) && Crs.northingFirst(code);
        double x0 = swap ? b.lower()[1] : b.lower()[0];
        double y0 = swap ? b.lower()[0] : b.lower()[1];
        double x1 = swap ? b.upper()[1] : b.upper()[0];
        double y1 = swap ? b.upper()[0] : b.upper()[1];
        return Optional.of(new Box(code, x0, y0, x1, y1));
    }

    /**
     * Whether a CRS spelling asks for the CRS's own axis order: OGC URNs and http URIs do; the
     * short {@code EPSG:n} form is read longitude/easting first, as GeoServer does.
     */
    public static boolean latitudeFirstSpelling(String raw) {
        String l = raw.trim().toLowerCase(Locale.ROOT);
        return l.startsWith("urn:") || l.startsWith("http");
    }

    /** A bounding box in east/north order. */
    public record Box(String crs, double minX, double minY, double maxX, double maxY) {}
}
