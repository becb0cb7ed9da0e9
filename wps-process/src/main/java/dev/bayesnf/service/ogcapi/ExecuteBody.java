package dev.bayesnf.service.ogcapi;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bayesnf.service.jobs.ResponseOptions;
import dev.bayesnf.service.process.DataKind;
import dev.bayesnf.service.process.Format;
import dev.bayesnf.service.process.InputSpec;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessSpec;
import dev.bayesnf.service.process.ReferenceFetcher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An OGC API - Processes 1.0 execute request ({@code execute.yaml}), read against the process's
 * spec: {@code inputs} keyed by input id, {@code outputs} keyed by output id, {@code response}.
 *
 * <p>Input forms: a bare JSON value (string, number, boolean) for literals, an array for several
 * values of a repeatable input, a qualified value {@code {"value": ..., "mediaType": ...,
 * "encoding": ...}} (binary documents base64-encoded; a JSON object or array as {@code value} is a
 * JSON document), a reference {@code {"href": ..., "type": ...}} fetched through the {@link
 * ReferenceFetcher} and its host allow-list, a bounding box {@code {"bbox": [minx, miny, maxx,
 * maxy], "crs": ...}} (corners kept as written; CRS84 when no {@code crs} is given; the process layer
 * applies the axis order of the CRS spelling), and for documents an inline JSON object (GeoJSON).
 *
 * <p>Every refusal is a {@link ProcessException} naming the input or output.
 *
 * @param inputs values per input id, in request order
 * @param outputs the outputs asked for, in request order; empty when all are wanted
 * @param raw whether {@code "response": "raw"} (the default of the standard) rather than {@code
 *     document}
 */
record ExecuteBody(Map<String, List<InputValue>> inputs, List<OutputChoice> outputs, boolean raw) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> GEOJSON_TYPES = Set.of("FeatureCollection", "Feature", "Point", "MultiPoint",
            "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection");

    ExecuteBody {
        inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        outputs = List.copyOf(outputs);
    }

    /**
     * One requested output.
     *
     * @param id output id
     * @param mediaType requested media type, or null for the default
     * @param reference true for {@code transmissionMode: reference}, false for {@code value}, null
     *     when the request does not say
     */
    record OutputChoice(String id, String mediaType, Boolean reference) {}

    /** What this request asks of the results, as the job keeps it. */
    ResponseOptions options() {
        return ResponseOptions.ogcApi(raw, outputs.stream()
                .map(c -> new ResponseOptions.Output(c.id(), c.mediaType(), c.reference())).toList());
    }

    /** Reads and checks a request body; references are checked here and fetched by the job. */
    static ExecuteBody parse(byte[] body, ProcessSpec spec, ReferenceFetcher fetcher) {
        JsonNode root;
        try {
            root = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JacksonException e) {
            throw ProcessException.invalid("body", "the request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ProcessException.invalid("body", "the request body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ProcessException.invalid("body", "the request body must be a JSON object with 'inputs',"
                    + " 'outputs' and 'response'");
        }
        Map<String, List<InputValue>> inputs = new LinkedHashMap<>();
        JsonNode in = root.path("inputs");
        if (!in.isMissingNode() && !in.isNull()) {
            if (!in.isObject()) {
                throw ProcessException.invalid("inputs", "'inputs' must be an object keyed by input id");
            }
            for (Map.Entry<String, JsonNode> e : in.properties()) {
                InputSpec is = spec.input(e.getKey()).orElseThrow(() -> ProcessException.invalid(e.getKey(),
                        "process " + spec.id() + " has no input '" + e.getKey() + "'; inputs: "
                                + spec.inputs().stream().map(InputSpec::id).toList()));
                inputs.put(is.id(), values(is, e.getValue(), fetcher));
            }
        }
        List<OutputChoice> outputs = new ArrayList<>();
        JsonNode out = root.path("outputs");
        if (!out.isMissingNode() && !out.isNull()) {
            if (!out.isObject()) {
                throw ProcessException.invalid("outputs", "'outputs' must be an object keyed by output id");
            }
            for (Map.Entry<String, JsonNode> e : out.properties()) {
                outputs.add(output(spec, e.getKey(), e.getValue()));
            }
        }
        boolean raw = true;
        JsonNode r = root.path("response");
        if (!r.isMissingNode() && !r.isNull()) {
            String v = r.asText("");
            if (v.equals("document")) {
                raw = false;
            } else if (!v.equals("raw")) {
                throw ProcessException.invalid("response", "'response' must be 'raw' or 'document', got '"
                        + r.asText() + "'");
            }
        }
        return new ExecuteBody(inputs, outputs, raw);
    }

    private static OutputChoice output(ProcessSpec spec, String id, JsonNode def) {
        OutputSpec os = spec.output(id).orElseThrow(() -> ProcessException.invalid(id, "process " + spec.id()
                + " has no output '" + id + "'; outputs: " + spec.outputs().stream().map(OutputSpec::id).toList()));
        if (!def.isObject()) {
            throw ProcessException.invalid(id, "output '" + id + "' must be given as an object"
                    + " ({\"format\": {\"mediaType\": ...}, \"transmissionMode\": \"value\"|\"reference\"})");
        }
        Boolean reference = null;
        JsonNode tm = def.path("transmissionMode");
        if (!tm.isMissingNode() && !tm.isNull()) {
            switch (tm.asText("")) {
                case "value":
                    reference = false;
                    break;
                case "reference":
                    reference = true;
                    break;
                default:
                    throw ProcessException.invalid(id, "output '" + id + "': transmissionMode must be 'value' or"
                            + " 'reference', got '" + tm.asText() + "'");
            }
        }
        String mediaType = text(def.path("format").path("mediaType"));
        if (os.kind() == DataKind.LITERAL) {
            if (Boolean.TRUE.equals(reference)) {
                throw ProcessException.invalid(id, "output '" + id + "' is a literal value; it can only be"
                        + " transmitted by value");
            }
            mediaType = null;
        } else if (mediaType != null) {
            mediaType = os.format(mediaType).mimeType();
        }
        return new OutputChoice(id, mediaType, reference);
    }

    private static List<InputValue> values(InputSpec in, JsonNode node, ReferenceFetcher fetcher) {
        List<InputValue> list = new ArrayList<>();
        if (node.isArray()) {
            if (node.size() > in.maxOccurs()) {
                throw ProcessException.invalid(in.id(), "input '" + in.id() + "' takes at most " + in.maxOccurs()
                        + " value(s), got " + node.size());
            }
            for (JsonNode v : node) {
                list.add(value(in, v, fetcher));
            }
        } else {
            list.add(value(in, node, fetcher));
        }
        return list;
    }

    private static InputValue value(InputSpec in, JsonNode node, ReferenceFetcher fetcher) {
        String id = in.id();
        if (node.isNull() || node.isMissingNode()) {
            throw ProcessException.invalid(id, "input '" + id + "' is null");
        }
        if (node.isObject()) {
            if (node.has("href")) {
                String href = text(node.get("href"));
                if (href == null) {
                    throw ProcessException.invalid(id, "input '" + id + "': 'href' must be a URL string");
                }
                if (in.kind() != DataKind.COMPLEX) {
                    throw ProcessException.invalid(id, "input '" + id + "' is a "
                            + in.kind().name().toLowerCase(Locale.ROOT) + " value and cannot be given by reference");
                }
                String type = text(node.get("type"));
                if (type == null) {
                    type = text(node.path("format").path("mediaType"));
                }
                checkMediaType(in, type);
                return fetcher.reference(id, href, type, null);
            }
            if (in.kind() == DataKind.BBOX) {
                return bbox(in, node);
            }
            if (node.has("value")) {
                return qualified(in, node);
            }
            if (in.kind() == DataKind.LITERAL) {
                throw ProcessException.invalid(id, "input '" + id + "' takes a plain value (string, number or"
                        + " boolean) or {\"value\": ...}, not an object");
            }
            return jsonDocument(in, node, null);
        }
        if (node.isArray()) {
            throw ProcessException.invalid(id, "input '" + id + "': nested arrays are not accepted");
        }
        switch (in.kind()) {
            case BBOX:
                throw ProcessException.invalid(id, "input '" + id + "' is a bounding box:"
                        + " {\"bbox\": [minx, miny, maxx, maxy], \"crs\": \"...\"}");
            case LITERAL:
                return new InputValue.Literal(literalText(node));
            default:
                if (!node.isTextual()) {
                    throw ProcessException.invalid(id, "input '" + id + "' is a document; give it as text, as"
                            + " {\"value\": ..., \"mediaType\": ...} or as {\"href\": ...}");
                }
                return new InputValue.Complex(node.asText().getBytes(StandardCharsets.UTF_8), null);
        }
    }

    /** A literal JSON value as the text the process layer parses (5.0 becomes "5"). */
    static String literalText(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return v.decimalValue().stripTrailingZeros().toPlainString();
        }
        return v.asText();
    }

    private static InputValue bbox(InputSpec in, JsonNode node) {
        String id = in.id();
        JsonNode b = node.get("bbox");
        if (b == null || !b.isArray() || (b.size() != 4 && b.size() != 6)) {
            throw ProcessException.invalid(id, "input '" + id + "': 'bbox' must be an array of 4 (or 6) numbers");
        }
        double[] v = new double[b.size()];
        for (int i = 0; i < v.length; i++) {
            if (!b.get(i).isNumber()) {
                throw ProcessException.invalid(id, "input '" + id + "': bbox value " + b.get(i) + " is not a number");
            }
            v[i] = b.get(i).doubleValue();
        }
        int dim = v.length / 2;
        double[] lower = java.util.Arrays.copyOfRange(v, 0, dim);
        double[] upper = java.util.Arrays.copyOfRange(v, dim, v.length);
        String crs = node.has("crs") ? text(node.get("crs")) : ProcessDescriptions.CRS84;
        if (crs == null || crs.isBlank()) {
            throw ProcessException.invalid(id, "input '" + id + "': 'crs' must be a CRS URI");
        }
        return new InputValue.BoundingBox(crs, lower, upper);
    }

    private static InputValue qualified(InputSpec in, JsonNode node) {
        String id = in.id();
        JsonNode v = node.get("value");
        if (in.kind() == DataKind.LITERAL) {
            if (v.isContainerNode() || v.isNull()) {
                throw ProcessException.invalid(id, "input '" + id + "': 'value' must be a string, number or boolean");
            }
            return new InputValue.Literal(literalText(v));
        }
        String mediaType = text(node.get("mediaType"));
        if (mediaType == null) {
            mediaType = text(node.path("format").path("mediaType"));
        }
        String encoding = text(node.get("encoding"));
        if (encoding == null) {
            encoding = text(node.path("format").path("encoding"));
        }
        Format format = checkMediaType(in, mediaType);
        if (v.isContainerNode()) {
            return jsonDocument(in, v, mediaType);
        }
        if (!v.isTextual()) {
            throw ProcessException.invalid(id, "input '" + id + "': 'value' of a document must be a string"
                    + " (base64 for binary formats) or a JSON object");
        }
        boolean base64 = encoding != null
                ? encoding.equalsIgnoreCase("base64") || encoding.equalsIgnoreCase("binary")
                : format != null ? format.binary()
                : !in.formats().isEmpty() && in.formats().stream().allMatch(Format::binary);
        byte[] data;
        if (base64) {
            try {
                data = Base64.getDecoder().decode(v.asText().replaceAll("\\s+", ""));
            } catch (IllegalArgumentException e) {
                throw ProcessException.invalid(id, "input '" + id + "': the value is not valid base64 ("
                        + e.getMessage() + ")");
            }
        } else {
            data = v.asText().getBytes(StandardCharsets.UTF_8);
        }
        return new InputValue.Complex(data, mediaType);
    }

    private static InputValue jsonDocument(InputSpec in, JsonNode doc, String mediaType) {
        String type = mediaType;
        if (type == null) {
            type = doc.isObject() && GEOJSON_TYPES.contains(doc.path("type").asText(""))
                    ? "application/geo+json" : "application/json";
        }
        checkMediaType(in, type);
        try {
            return new InputValue.Complex(JSON.writeValueAsBytes(doc), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The format of {@code in} that {@code mediaType} names (ignoring parameters such as a charset
     * the format does not list), or null when no media type is given.
     */
    private static Format checkMediaType(InputSpec in, String mediaType) {
        if (mediaType == null || in.formats().isEmpty()) {
            return null;
        }
        for (Format f : in.formats()) {
            if (f.matches(mediaType)) {
                return f;
            }
        }
        String base = mediaType.split(";", 2)[0].trim();
        for (Format f : in.formats()) {
            if (!f.mimeType().contains(";") && f.matches(base)) {
                return f;
            }
        }
        throw ProcessException.invalid(in.id(), "input '" + in.id() + "' does not accept media type '" + mediaType
                + "'; formats: " + in.formats().stream().map(Format::mimeType).toList());
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
