package dev.bayesnf.service.ogcapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.service.process.DataKind;
import dev.bayesnf.service.process.Format;
import dev.bayesnf.service.process.InputSpec;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.ProcessSpec;
import java.util.List;
import java.util.Locale;

/**
 * Process summaries and OGC process descriptions (OGC 18-062r2 §7.9 and the "OGC Process
 * Description" conformance class) built from {@link ProcessSpec}s: each input and output carries a
 * JSON Schema of one value — literals as {@code string}/{@code integer}/{@code number}/{@code
 * boolean} with {@code default}, {@code enum}, {@code minimum}, {@code maximum}; documents as
 * {@code string} with {@code contentMediaType} (and {@code contentEncoding: binary} for binary
 * formats), {@code oneOf} when several formats are accepted; bounding boxes as the OGC bbox object
 * ({@code bbox} array, {@code crs} URI).
 *
 * <p>Stateless and thread-safe.
 */
final class ProcessDescriptions {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    static final List<String> JOB_CONTROL = List.of("sync-execute", "async-execute", "dismiss");
    static final List<String> TRANSMISSION = List.of("value", "reference");

    private ProcessDescriptions() {}

    /** The summary of a process as listed at {@code /processes}. */
    static ObjectNode summary(ProcessSpec s, String root) {
        ObjectNode o = F.objectNode();
        o.put("id", s.id());
        o.put("title", s.title());
        o.put("description", s.description());
        o.put("version", s.version());
        ArrayNode jc = o.putArray("jobControlOptions");
        JOB_CONTROL.forEach(jc::add);
        ArrayNode ot = o.putArray("outputTransmission");
        TRANSMISSION.forEach(ot::add);
        ArrayNode links = o.putArray("links");
        String href = root + "/processes/" + OgcApiProcesses.encodeSegment(s.id());
        links.add(link(href, "self", OgcApiProcesses.JSON_TYPE, "Process description"));
        links.add(link(href + "/execution", OgcApiProcesses.REL + "execute", OgcApiProcesses.JSON_TYPE,
                "Execute the process (POST)"));
        return o;
    }

    /** The full OGC process description. */
    static ObjectNode description(ProcessSpec s, String root) {
        ObjectNode o = summary(s, root);
        ObjectNode inputs = F.objectNode();
        for (InputSpec in : s.inputs()) {
            inputs.set(in.id(), input(in));
        }
        ObjectNode outputs = F.objectNode();
        for (OutputSpec out : s.outputs()) {
            outputs.set(out.id(), output(out));
        }
        // keep links last, after the inputs and outputs, for readability
        JsonNode links = o.remove("links");
        o.set("inputs", inputs);
        o.set("outputs", outputs);
        o.set("links", links);
        return o;
    }

    static ObjectNode input(InputSpec in) {
        ObjectNode o = F.objectNode();
        o.put("title", in.title());
        String d = in.description();
        if (in.unit() != null) {
            d = (d.isEmpty() ? "" : d + ". ") + "Unit: " + in.unit();
        }
        o.put("description", d);
        o.put("minOccurs", in.minOccurs());
        o.put("maxOccurs", in.maxOccurs());
        switch (in.kind()) {
            case LITERAL:
                o.set("schema", literalSchema(in));
                break;
            case COMPLEX:
                o.set("schema", documentSchema(in.formats()));
                break;
            case BBOX:
                o.set("schema", bboxSchema(in.crs()));
                break;
            default:
                throw new IllegalStateException("unknown kind " + in.kind());
        }
        return o;
    }

    static ObjectNode output(OutputSpec out) {
        ObjectNode o = F.objectNode();
        o.put("title", out.title());
        o.put("description", out.description());
        if (out.kind() == DataKind.LITERAL) {
            ObjectNode s = F.objectNode();
            putType(s, out.dataType());
            o.set("schema", s);
        } else {
            o.set("schema", documentSchema(out.formats()));
        }
        return o;
    }

    private static ObjectNode literalSchema(InputSpec in) {
        ObjectNode s = F.objectNode();
        putType(s, in.dataType());
        if (in.defaultValue() != null) {
            s.set("default", typed(in.dataType(), in.defaultValue()));
        }
        if (!in.allowedValues().isEmpty()) {
            ArrayNode e = s.putArray("enum");
            in.allowedValues().forEach(v -> e.add(typed(in.dataType(), v)));
        }
        if (in.minimum() != null) {
            s.set("minimum", number(in.dataType(), in.minimum()));
        }
        if (in.maximum() != null) {
            s.set("maximum", number(in.dataType(), in.maximum()));
        }
        return s;
    }

    /** JSON Schema type of an XML Schema literal type name. */
    private static void putType(ObjectNode s, String dataType) {
        String t = dataType == null ? "string" : dataType;
        switch (t) {
            case "integer":
                s.put("type", "integer");
                break;
            case "double":
                s.put("type", "number");
                break;
            case "boolean":
                s.put("type", "boolean");
                break;
            case "dateTime":
                s.put("type", "string");
                s.put("format", "date-time");
                break;
            default:
                s.put("type", "string");
        }
    }

    /** {@code text} as a JSON value of the literal type (left a string when it does not parse). */
    static JsonNode typed(String dataType, String text) {
        String t = text.trim();
        try {
            if ("integer".equals(dataType)) {
                return F.numberNode(Long.parseLong(t));
            }
            if ("double".equals(dataType)) {
                return F.numberNode(Double.parseDouble(t));
            }
        } catch (NumberFormatException e) {
            return F.textNode(text);
        }
        if ("boolean".equals(dataType) && (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false"))) {
            return F.booleanNode(Boolean.parseBoolean(t.toLowerCase(Locale.ROOT)));
        }
        return F.textNode(text);
    }

    private static JsonNode number(String dataType, double d) {
        if ("integer".equals(dataType) || (d == Math.rint(d) && Math.abs(d) < 1e15)) {
            return F.numberNode((long) d);
        }
        return F.numberNode(d);
    }

    static ObjectNode documentSchema(List<Format> formats) {
        if (formats.size() == 1) {
            return formatSchema(formats.get(0));
        }
        ObjectNode s = F.objectNode();
        ArrayNode one = s.putArray("oneOf");
        formats.forEach(f -> one.add(formatSchema(f)));
        return s;
    }

    private static ObjectNode formatSchema(Format f) {
        ObjectNode s = F.objectNode();
        s.put("type", "string");
        if (f.binary()) {
            s.put("contentEncoding", "binary");
        }
        s.put("contentMediaType", f.mimeType());
        return s;
    }

    static ObjectNode bboxSchema(List<String> crs) {
        ObjectNode s = F.objectNode();
        s.put("type", "object");
        s.put("format", "ogc-bbox");
        s.putArray("required").add("bbox");
        ObjectNode p = s.putObject("properties");
        ObjectNode b = p.putObject("bbox");
        b.put("type", "array");
        b.put("minItems", 4);
        b.put("maxItems", 4);
        b.putObject("items").put("type", "number");
        ObjectNode c = p.putObject("crs");
        c.put("type", "string");
        c.put("format", "uri");
        List<String> uris = crs.isEmpty() ? List.of(CRS84) : crs.stream().map(ProcessDescriptions::crsUri).distinct().toList();
        ArrayNode e = c.putArray("enum");
        uris.forEach(e::add);
        c.put("default", uris.contains(CRS84) ? CRS84 : uris.get(0));
        return s;
    }

    /**
     * The http URI of a CRS code: {@code CRS:84} is {@code .../OGC/1.3/CRS84}, {@code EPSG:n} is
     * {@code .../EPSG/0/n}; other spellings are returned as they are.
     */
    static String crsUri(String code) {
        String n;
        try {
            n = Crs.normalize(code);
        } catch (IllegalArgumentException e) {
            return code;
        }
        if (n.equalsIgnoreCase("CRS:84")) {
            return CRS84;
        }
        int colon = n.indexOf(':');
        if (colon > 0 && n.substring(0, colon).equalsIgnoreCase("EPSG")) {
            return "http://www.opengis.net/def/crs/EPSG/0/" + n.substring(colon + 1);
        }
        return code;
    }

    static ObjectNode link(String href, String rel, String type, String title) {
        ObjectNode l = JSON.createObjectNode();
        l.put("href", href);
        l.put("rel", rel);
        if (type != null) {
            l.put("type", type);
        }
        if (title != null) {
            l.put("title", title);
        }
        return l;
    }
}
