package dev.bayesnf.service.wps;

import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.DataKind;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessSpec;
import dev.bayesnf.service.process.ReferenceFetcher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Parses WPS 1.0.0 Execute requests, KVP (OGC 05-007r7 §10.2.2) and XML POST (§10.2.3), into an
 * {@link ExecuteRequest}. References are fetched through the {@link ReferenceFetcher} (and its
 * allow-list); inline base64 is decoded.
 *
 * <p>A parser given the service's processes reads the request against the process it names: the
 * process is looked up once (an unknown one refused), {@code status=true} without {@code
 * storeExecuteResponse=true} refused, and a bounding box input given as text (KVP's {@code
 * minx,miny,maxx,maxy[,crs]}, or a LiteralData in XML) read as the bounding box its spec says it is.
 * Without them it only reads the syntax, bounding boxes given as text staying literals.
 */
final class ExecuteParser {
    static final String WPS = "http://www.opengis.net/wps/1.0.0";
    static final String OWS = "http://www.opengis.net/ows/1.1";
    static final String XLINK = "http://www.w3.org/1999/xlink";

    private final ReferenceFetcher fetcher;
    private final ExecuteXml xml;
    /** The process of an identifier, or a refusal; null: the syntax only. */
    private final Function<String, BayesProcess> processes;

    /** A parser of the syntax only (no process known). */
    ExecuteParser(ReferenceFetcher fetcher) {
        this(fetcher, null);
    }

    /** A parser that reads each request against its process ({@code processes}: the process, or a refusal). */
    ExecuteParser(ReferenceFetcher fetcher, Function<String, BayesProcess> processes) {
        this.fetcher = fetcher;
        this.xml = new ExecuteXml(fetcher);
        this.processes = processes;
    }

    /**
     * The request read against its process (when this parser knows the processes): the process
     * looked up, the response form checked, bounding boxes given as text read by the spec.
     */
    private ExecuteRequest bind(ExecuteRequest req) {
        if (processes == null) {
            return req;
        }
        BayesProcess proc = processes.apply(req.identifier());
        ExecuteRequest.ResponseDocument doc = req.document();
        if (doc != null && doc.status() && !doc.store()) {
            throw ProcessException.invalid("status", "status=true needs storeExecuteResponse=true");
        }
        ProcessSpec spec = proc.spec();
        Map<String, List<InputValue>> inputs = new LinkedHashMap<>();
        req.inputs().forEach((k, v) -> {
            boolean bbox = spec.input(k).map(i -> i.kind() == DataKind.BBOX).orElse(false);
            inputs.put(k, !bbox ? v : v.stream().map(x -> x instanceof InputValue.Literal l
                    ? bboxFromKvp(k, l.value()) : x).toList());
        });
        return new ExecuteRequest(req.identifier(), inputs, req.raw(), doc, proc);
    }

    // ---------------------------------------------------------------- KVP

    ExecuteRequest parseKvp(dev.bayesnf.service.http.Kvp kvp) {
        String id = kvp.get("identifier");
        if (id == null || id.isBlank()) {
            throw ProcessException.missing("Identifier", "Execute needs an 'identifier'");
        }
        Map<String, List<InputValue>> inputs = new LinkedHashMap<>();
        // WPS 1.0.0 (§10.2.2.1): the separators ; @ = are literal and values percent-encode them.
        // So the query's own text is split first and each piece decoded after: decoded first, an
        // encoded ';' in a value (%3B) would start another input. A client that encoded the whole
        // value, separators too (no literal '=' left), is read the old way: decoded, then split.
        String encoded = kvp.raw("DataInputs");
        if (encoded != null && encoded.indexOf('=') < 0) {
            encoded = null;
        }
        String di = encoded != null ? encoded : kvp.get("DataInputs");
        java.util.function.UnaryOperator<String> dec = encoded != null ? dev.bayesnf.service.http.Kvp::decode : x -> x;
        if (di != null && !di.isBlank()) {
            for (String part : splitUnescaped(di, ';')) {
                if (part.isBlank()) {
                    continue;
                }
                List<String> attrs = splitUnescaped(part, '@');
                String first = attrs.get(0);
                int eq = first.indexOf('=');
                if (eq <= 0) {
                    throw ProcessException.invalid("DataInputs", "malformed DataInputs entry '" + part
                            + "' (expected id=value[@attribute=value...])");
                }
                String name = unescape(dec.apply(first.substring(0, eq)).trim());
                String value = unescape(dec.apply(first.substring(eq + 1)));
                Map<String, String> a = new LinkedHashMap<>();
                for (int i = 1; i < attrs.size(); i++) {
                    String s = attrs.get(i);
                    int e = s.indexOf('=');
                    if (e > 0) {
                        a.put(dec.apply(s.substring(0, e)).trim().toLowerCase(java.util.Locale.ROOT),
                                unescape(dec.apply(s.substring(e + 1))));
                    }
                }
                InputValue v;
                String href = a.getOrDefault("xlink:href", a.get("href"));
                if (href != null) {
                    v = fetcher.reference(name, href, a.get("mimetype"), null);
                } else if (a.containsKey("mimetype") || a.containsKey("encoding")) {
                    v = complex(name, value, a.get("mimetype"), a.get("encoding"));
                } else {
                    v = new InputValue.Literal(value);
                }
                inputs.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
            }
        }
        ExecuteRequest.OutputRequest raw = null;
        ExecuteRequest.ResponseDocument doc = null;
        String rawText = kvp.get("RawDataOutput");
        String docText = kvp.get("ResponseDocument");
        boolean store = bool(kvp, "storeExecuteResponse");
        boolean status = bool(kvp, "status");
        boolean lineage = bool(kvp, "lineage");
        if (rawText != null && docText != null) {
            throw ProcessException.invalid("RawDataOutput", "give either RawDataOutput or ResponseDocument, not both");
        }
        if (rawText != null) {
            List<ExecuteRequest.OutputRequest> o = outputs(rawText);
            if (o.size() != 1) {
                throw ProcessException.invalid("RawDataOutput", "RawDataOutput names exactly one output");
            }
            raw = o.get(0);
        } else if (docText != null || store || status || lineage) {
            doc = new ExecuteRequest.ResponseDocument(store, status, lineage,
                    docText == null ? List.of() : outputs(docText));
        }
        return bind(new ExecuteRequest(id, inputs, raw, doc, null));
    }

    /** A KVP bounding box {@code minx,miny,maxx,maxy[,crs]}. */
    static InputValue bboxFromKvp(String name, String value) {
        String[] p = value.split(",");
        if (p.length != 4 && p.length != 5) {
            throw ProcessException.invalid(name, "input '" + name + "': a bounding box is minx,miny,maxx,maxy[,crs], got '"
                    + value + "'");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(p[i].trim());
            } catch (NumberFormatException e) {
                throw ProcessException.invalid(name, "input '" + name + "': '" + p[i].trim() + "' is not a number");
            }
        }
        String crs = p.length == 5 ? p[4].trim() : null;
        return new InputValue.BoundingBox(crs, new double[] {v[0], v[1]}, new double[] {v[2], v[3]});
    }

    private static boolean bool(dev.bayesnf.service.http.Kvp kvp, String key) {
        String v = kvp.get(key);
        return v != null && v.trim().equalsIgnoreCase("true");
    }

    private static List<ExecuteRequest.OutputRequest> outputs(String text) {
        List<ExecuteRequest.OutputRequest> list = new ArrayList<>();
        for (String part : splitUnescaped(text, ';')) {
            if (part.isBlank()) {
                continue;
            }
            List<String> attrs = splitUnescaped(part, '@');
            String id = unescape(attrs.get(0).trim());
            int eq = id.indexOf('=');
            if (eq >= 0) {
                id = id.substring(0, eq); // "id=" forms some clients send
            }
            String mime = null;
            boolean ref = false;
            for (int i = 1; i < attrs.size(); i++) {
                String s = attrs.get(i);
                int e = s.indexOf('=');
                if (e < 0) {
                    continue;
                }
                String k = s.substring(0, e).trim().toLowerCase(java.util.Locale.ROOT);
                String v = unescape(s.substring(e + 1));
                if (k.equals("mimetype")) {
                    mime = v;
                } else if (k.equals("asreference")) {
                    ref = v.trim().equalsIgnoreCase("true");
                }
            }
            list.add(new ExecuteRequest.OutputRequest(id, mime, ref));
        }
        return list;
    }

    /** Splits at {@code sep} not preceded by a backslash (WPS KVP escaping is URL encoding; some clients use '\'). */
    private static List<String> splitUnescaped(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == sep && (i == 0 || s.charAt(i - 1) != '\\')) {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString());
        return out;
    }

    private static String unescape(String s) {
        return s.replace("\\;", ";").replace("\\@", "@").replace("\\=", "=");
    }

    static InputValue complex(String name, String text, String mime, String encoding) {
        if (encoding != null && encoding.equalsIgnoreCase("base64")) {
            try {
                // line breaks and spaces allowed (MIME-style), any other character outside the
                // alphabet refused (the MIME decoder would skip it silently)
                return new InputValue.Complex(Base64.getDecoder().decode(text.replaceAll("\\s+", "")), mime);
            } catch (IllegalArgumentException e) {
                throw ProcessException.invalid(name, "input '" + name + "' is declared base64 but is not valid base64");
            }
        }
        return new InputValue.Complex(text.getBytes(StandardCharsets.UTF_8), mime);
    }

    // ---------------------------------------------------------------- XML

    ExecuteRequest parseXml(byte[] body) {
        return bind(xml.read(body));
    }
}
