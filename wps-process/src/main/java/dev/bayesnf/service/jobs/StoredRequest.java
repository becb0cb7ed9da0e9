package dev.bayesnf.service.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.core.DurableFiles;
import dev.bayesnf.service.process.InputValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's request as the job store keeps it ({@link Job#request}), typed: its inputs, the media
 * type asked for per output, and the {@link ResponseOptions}.
 *
 * <p>The stored JSON has one fixed shape, the one jobs stored by earlier versions have, so that
 * they load after an upgrade:
 *
 * <pre>
 * {"inputs":  {id: [{"literal": text}
 *                  | {"file": name in the job's inputs folder, "mimeType": type or null}
 *                  | {"href": url, "mimeType": type or null, "body": base64 of a POST body (absent: GET)}
 *                  | {"crs": crs or null, "lower": [x, y], "upper": [x, y]}, ...], ...},
 *  "formats": {output id: media type, ...},
 *  "request": {}                                                          (no front end)
 *           | {"protocol": "demo"}                                        (the service itself)
 *           | {"protocol": "wps", "lineage": bool,
 *              "outputs": [{"id": id, "mimeType": type or null, "asReference": bool}, ...]}
 *           | {"protocol": "ogcapi", "response": "raw" | "document",
 *              "outputs": [{"id": id, "mediaType": type or null, "reference": bool or null}, ...]}}
 * </pre>
 *
 * @param inputs the values per input id, in request order
 * @param formats the media type asked for per document output (absent: the output's default)
 * @param options what was asked of the results
 */
public record StoredRequest(Map<String, List<StoredInput>> inputs, Map<String, String> formats,
        ResponseOptions options) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public StoredRequest {
        Map<String, List<StoredInput>> in = new LinkedHashMap<>();
        inputs.forEach((k, v) -> in.put(k, List.copyOf(v)));
        inputs = Collections.unmodifiableMap(in);
        formats = Collections.unmodifiableMap(new LinkedHashMap<>(formats));
    }

    /** One stored input value. */
    public sealed interface StoredInput {
        /** A literal value. */
        record Literal(String value) implements StoredInput {}

        /** A document, kept as a file in the job's {@code inputs} folder. */
        record Document(String file, String mimeType) implements StoredInput {}

        /**
         * A document given by reference, fetched when the job runs (again after a restart).
         *
         * @param body the base64 of the body to POST, or null for a GET
         */
        record Reference(String href, String mimeType, String body) implements StoredInput {
            /** The body to POST, decoded; null for a GET. */
            public byte[] bodyBytes() {
                return body == null ? null : Base64.getDecoder().decode(body);
            }
        }

        /** A bounding box, corners as the request gave them. */
        record Box(String crs, double[] lower, double[] upper) implements StoredInput {}
    }

    /**
     * The stored form of a job's inputs: documents written durably to {@code inputsDir} (named
     * {@code <input>-<n>.dat}), references kept to be fetched when the job runs (again after a
     * restart), literals and bounding boxes as they are.
     */
    static Map<String, List<StoredInput>> store(Map<String, List<InputValue>> inputs, Path inputsDir)
            throws IOException {
        Map<String, List<StoredInput>> stored = new LinkedHashMap<>();
        int doc = 0;
        for (Map.Entry<String, List<InputValue>> e : inputs.entrySet()) {
            List<StoredInput> values = new ArrayList<>();
            for (InputValue v : e.getValue()) {
                if (v instanceof InputValue.Literal l) {
                    values.add(new StoredInput.Literal(l.value()));
                } else if (v instanceof InputValue.Reference ref) {
                    values.add(new StoredInput.Reference(ref.href(), ref.mimeType(), ref.body() == null ? null
                            : Base64.getEncoder().encodeToString(ref.body())));
                } else if (v instanceof InputValue.Complex c) {
                    String name = e.getKey() + "-" + (doc++) + ".dat";
                    DurableFiles.write(inputsDir.resolve(name), c.data());
                    values.add(new StoredInput.Document(name, c.mimeType()));
                } else if (v instanceof InputValue.BoundingBox b) {
                    values.add(new StoredInput.Box(b.crs(), b.lower(), b.upper()));
                }
            }
            stored.put(e.getKey(), values);
        }
        return stored;
    }

    /** The inputs to run the job with again, documents read from {@code inputsDir}. */
    Map<String, List<InputValue>> inputValues(Path inputsDir) throws IOException {
        Map<String, List<InputValue>> map = new LinkedHashMap<>();
        for (Map.Entry<String, List<StoredInput>> e : inputs.entrySet()) {
            List<InputValue> values = new ArrayList<>();
            for (StoredInput v : e.getValue()) {
                if (v instanceof StoredInput.Literal l) {
                    values.add(new InputValue.Literal(l.value()));
                } else if (v instanceof StoredInput.Document d) {
                    if (!d.file().matches("[A-Za-z0-9_.-]+")) {
                        throw new IOException("stored input '" + e.getKey() + "' has a malformed file name");
                    }
                    values.add(new InputValue.Complex(Files.readAllBytes(inputsDir.resolve(d.file())), d.mimeType()));
                } else if (v instanceof StoredInput.Reference r) {
                    values.add(new InputValue.Reference(r.href(), r.mimeType(), r.bodyBytes()));
                } else if (v instanceof StoredInput.Box b) {
                    values.add(new InputValue.BoundingBox(b.crs(), b.lower(), b.upper()));
                }
            }
            map.put(e.getKey(), values);
        }
        return map;
    }

    /** The JSON the job store keeps (the shape above). */
    public String toJson() {
        ObjectNode req = JSON.createObjectNode();
        ObjectNode ins = req.putObject("inputs");
        inputs.forEach((id, values) -> {
            ArrayNode arr = ins.putArray(id);
            for (StoredInput v : values) {
                ObjectNode o = arr.addObject();
                if (v instanceof StoredInput.Literal l) {
                    o.put("literal", l.value());
                } else if (v instanceof StoredInput.Reference ref) {
                    o.put("href", ref.href());
                    o.put("mimeType", ref.mimeType());
                    if (ref.body() != null) {
                        o.put("body", ref.body());
                    }
                } else if (v instanceof StoredInput.Document d) {
                    o.put("file", d.file());
                    o.put("mimeType", d.mimeType());
                } else if (v instanceof StoredInput.Box b) {
                    o.put("crs", b.crs());
                    ArrayNode lo = o.putArray("lower");
                    for (double d : b.lower()) {
                        lo.add(d);
                    }
                    ArrayNode up = o.putArray("upper");
                    for (double d : b.upper()) {
                        up.add(d);
                    }
                }
            }
        });
        ObjectNode outs = req.putObject("formats");
        formats.forEach(outs::put);
        writeOptions(req.putObject("request"), options);
        try {
            return JSON.writeValueAsString(req);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeOptions(ObjectNode info, ResponseOptions options) {
        switch (options.origin()) {
            case NONE:
                return;
            case SERVICE:
                info.put("protocol", "demo");
                return;
            case WPS:
                info.put("protocol", "wps");
                info.put("lineage", options.lineage());
                ArrayNode wps = info.putArray("outputs");
                for (ResponseOptions.Output o : options.outputs()) {
                    wps.addObject().put("id", o.id()).put("mimeType", o.mediaType())
                            .put("asReference", Boolean.TRUE.equals(o.reference()));
                }
                return;
            case OGCAPI:
                info.put("protocol", "ogcapi");
                info.put("response", options.raw() ? "raw" : "document");
                ArrayNode api = info.putArray("outputs");
                for (ResponseOptions.Output o : options.outputs()) {
                    api.addObject().put("id", o.id()).put("mediaType", o.mediaType()).put("reference", o.reference());
                }
                return;
            default:
                throw new IllegalStateException(options.origin().name());
        }
    }

    /**
     * Reads a stored request (the shape above).
     *
     * @throws IOException when it is not JSON or an input value is none of the stored forms
     */
    public static StoredRequest parse(String json) throws IOException {
        JsonNode req = JSON.readTree(json);
        if (req == null || !req.isObject()) {
            throw new IOException("the stored request is not a JSON object");
        }
        Map<String, List<StoredInput>> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : req.path("inputs").properties()) {
            List<StoredInput> values = new ArrayList<>();
            for (JsonNode v : e.getValue()) {
                values.add(input(e.getKey(), v));
            }
            inputs.put(e.getKey(), values);
        }
        Map<String, String> formats = new LinkedHashMap<>();
        req.path("formats").properties().forEach(f -> formats.put(f.getKey(), f.getValue().asText()));
        return new StoredRequest(inputs, formats, options(req.path("request")));
    }

    /**
     * Only the {@link ResponseOptions} of a stored request (its inputs not read).
     *
     * @throws IOException when it is not JSON
     */
    public static ResponseOptions parseOptions(String json) throws IOException {
        JsonNode req = JSON.readTree(json);
        if (req == null || !req.isObject()) {
            throw new IOException("the stored request is not a JSON object");
        }
        return options(req.path("request"));
    }

    private static StoredInput input(String id, JsonNode v) throws IOException {
        if (v.has("literal")) {
            return new StoredInput.Literal(v.get("literal").asText());
        }
        if (v.has("file")) {
            return new StoredInput.Document(v.get("file").asText(), text(v.path("mimeType")));
        }
        if (v.has("href")) {
            return new StoredInput.Reference(v.get("href").asText(), text(v.path("mimeType")), text(v.path("body")));
        }
        if (v.has("crs")) {
            double[] lo = new double[v.path("lower").size()];
            double[] up = new double[v.path("upper").size()];
            for (int i = 0; i < lo.length; i++) {
                lo[i] = v.get("lower").get(i).asDouble();
            }
            for (int i = 0; i < up.length; i++) {
                up[i] = v.get("upper").get(i).asDouble();
            }
            return new StoredInput.Box(text(v.get("crs")), lo, up);
        }
        throw new IOException("stored input '" + id + "' is not readable");
    }

    /**
     * The options of a stored {@code request} object, each front end's under its own key names;
     * a request without a protocol (or one this version does not know) asked nothing.
     */
    private static ResponseOptions options(JsonNode info) {
        String protocol = info.path("protocol").asText("");
        List<ResponseOptions.Output> outputs = new ArrayList<>();
        switch (protocol) {
            case "wps":
                for (JsonNode o : info.path("outputs")) {
                    outputs.add(new ResponseOptions.Output(o.path("id").asText(), text(o.path("mimeType")),
                            o.path("asReference").asBoolean(false)));
                }
                return ResponseOptions.wps(info.path("lineage").asBoolean(false), outputs);
            case "ogcapi":
                for (JsonNode o : info.path("outputs")) {
                    JsonNode ref = o.path("reference");
                    outputs.add(new ResponseOptions.Output(o.path("id").asText(), text(o.path("mediaType")),
                            ref.isBoolean() ? ref.asBoolean() : null));
                }
                return ResponseOptions.ogcApi(info.path("response").asText("raw").equals("raw"), outputs);
            case "demo":
                return ResponseOptions.SERVICE;
            default:
                return ResponseOptions.NONE;
        }
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
