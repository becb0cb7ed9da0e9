package dev.bayesnf.service.wps;

import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.DataKind;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessSpec;
import dev.bayesnf.service.process.ReferenceFetcher;
import dev.bayesnf.service.xml.SafeXml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

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
    /** The process of an identifier, or a refusal; null: the syntax only. */
    private final Function<String, BayesProcess> processes;

    /** A parser of the syntax only (no process known). */
    ExecuteParser(ReferenceFetcher fetcher) {
        this(fetcher, null);
    }

    /** A parser that reads each request against its process ({@code processes}: the process, or a refusal). */
    ExecuteParser(ReferenceFetcher fetcher, Function<String, BayesProcess> processes) {
        this.fetcher = fetcher;
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

    private static InputValue complex(String name, String text, String mime, String encoding) {
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
        try {
            XMLStreamReader r = SafeXml.reader(body);
            try {
                return parse(r);
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s+", " ");
            throw ProcessException.invalid("request", "the request is not well-formed XML or uses DTDs/entities,"
                    + " which are not allowed: " + m);
        }
    }

    private ExecuteRequest parse(XMLStreamReader r) throws XMLStreamException {
        nextStart(r);
        if (!WPS.equals(r.getNamespaceURI()) || !"Execute".equals(r.getLocalName())) {
            throw new ProcessException(ProcessException.Code.OPERATION_NOT_SUPPORTED, "request",
                    "expected a wps:Execute document (namespace " + WPS + "), got {" + r.getNamespaceURI() + "}"
                            + r.getLocalName());
        }
        String service = r.getAttributeValue(null, "service");
        String version = r.getAttributeValue(null, "version");
        if (service != null && !service.equalsIgnoreCase("WPS")) {
            throw ProcessException.invalid("service", "service must be WPS, got '" + service + "'");
        }
        if (version != null && !version.equals("1.0.0")) {
            throw new ProcessException(ProcessException.Code.VERSION_NEGOTIATION_FAILED, "version",
                    "this service speaks WPS 1.0.0, not " + version);
        }
        String identifier = null;
        Map<String, List<InputValue>> inputs = new LinkedHashMap<>();
        ExecuteRequest.OutputRequest raw = null;
        ExecuteRequest.ResponseDocument doc = null;
        while (r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.DTD) {
                throw ProcessException.invalid("request", "DTDs are not allowed in requests");
            }
            if (ev == XMLStreamConstants.END_ELEMENT && "Execute".equals(r.getLocalName())) {
                break;
            }
            if (ev != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            String ln = r.getLocalName();
            if (ln.equals("Identifier") && OWS.equals(r.getNamespaceURI())) {
                identifier = r.getElementText().trim();
            } else if (ln.equals("Input")) {
                parseInput(r, inputs);
            } else if (ln.equals("ResponseDocument")) {
                boolean store = "true".equalsIgnoreCase(r.getAttributeValue(null, "storeExecuteResponse"));
                boolean status = "true".equalsIgnoreCase(r.getAttributeValue(null, "status"));
                boolean lineage = "true".equalsIgnoreCase(r.getAttributeValue(null, "lineage"));
                List<ExecuteRequest.OutputRequest> outs = new ArrayList<>();
                while (r.hasNext()) {
                    int e2 = r.next();
                    if (e2 == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("ResponseDocument")) {
                        break;
                    }
                    if (e2 == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("Output")) {
                        outs.add(outputDefinition(r, "Output"));
                    }
                }
                doc = new ExecuteRequest.ResponseDocument(store, status, lineage, outs);
            } else if (ln.equals("RawDataOutput")) {
                raw = outputDefinition(r, "RawDataOutput");
            }
        }
        if (identifier == null || identifier.isEmpty()) {
            throw ProcessException.missing("Identifier", "Execute needs an ows:Identifier");
        }
        return bind(new ExecuteRequest(identifier, inputs, raw, doc, null));
    }

    private static ExecuteRequest.OutputRequest outputDefinition(XMLStreamReader r, String end) throws XMLStreamException {
        String mime = r.getAttributeValue(null, "mimeType");
        boolean ref = "true".equalsIgnoreCase(r.getAttributeValue(null, "asReference"));
        String id = null;
        while (r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals(end)) {
                break;
            }
            if (e == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("Identifier")) {
                id = r.getElementText().trim();
            }
        }
        if (id == null) {
            throw ProcessException.missing(end, end + " needs an ows:Identifier");
        }
        return new ExecuteRequest.OutputRequest(id, mime, ref);
    }

    private void parseInput(XMLStreamReader r, Map<String, List<InputValue>> inputs) throws XMLStreamException {
        String id = null;
        InputValue value = null;
        while (r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("Input")) {
                break;
            }
            if (e != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            String ln = r.getLocalName();
            if (ln.equals("Identifier") && OWS.equals(r.getNamespaceURI())) {
                id = r.getElementText().trim();
            } else if (ln.equals("Reference")) {
                String href = r.getAttributeValue(XLINK, "href");
                if (href == null) {
                    href = r.getAttributeValue(null, "href");
                }
                String mime = r.getAttributeValue(null, "mimeType");
                String method = r.getAttributeValue(null, "method");
                byte[] body = null;
                while (r.hasNext()) {
                    int e2 = r.next();
                    if (e2 == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("Reference")) {
                        break;
                    }
                    if (e2 == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("Body")) {
                        body = innerXml(r, "Body").getBytes(StandardCharsets.UTF_8);
                    }
                }
                if (href == null) {
                    throw ProcessException.missing(id, "a wps:Reference needs xlink:href");
                }
                if ("POST".equalsIgnoreCase(method) && body == null) {
                    body = new byte[0];
                }
                value = fetcher.reference(id == null ? "input" : id, href, mime, body);
            } else if (ln.equals("LiteralData")) {
                value = new InputValue.Literal(r.getElementText());
            } else if (ln.equals("ComplexData")) {
                String mime = r.getAttributeValue(null, "mimeType");
                String enc = r.getAttributeValue(null, "encoding");
                String text = innerXml(r, "ComplexData");
                value = complex(id, text, mime, enc);
            } else if (ln.equals("BoundingBoxData")) {
                String crs = r.getAttributeValue(null, "crs");
                double[] lo = null;
                double[] up = null;
                while (r.hasNext()) {
                    int e2 = r.next();
                    if (e2 == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("BoundingBoxData")) {
                        break;
                    }
                    if (e2 == XMLStreamConstants.START_ELEMENT) {
                        if (r.getLocalName().equals("LowerCorner")) {
                            lo = corner(id, r.getElementText());
                        } else if (r.getLocalName().equals("UpperCorner")) {
                            up = corner(id, r.getElementText());
                        }
                    }
                }
                if (lo == null || up == null) {
                    throw ProcessException.invalid(id, "input '" + id + "': a bounding box needs LowerCorner and UpperCorner");
                }
                value = new InputValue.BoundingBox(crs, lo, up);
            }
        }
        if (id == null) {
            throw ProcessException.missing("Input", "every wps:Input needs an ows:Identifier");
        }
        if (value == null) {
            throw ProcessException.missing(id, "input '" + id + "' has no wps:Data or wps:Reference");
        }
        inputs.computeIfAbsent(id, k -> new ArrayList<>()).add(value);
    }

    private static double[] corner(String id, String text) {
        String[] p = text.trim().split("\\s+");
        double[] v = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            try {
                v[i] = Double.parseDouble(p[i]);
            } catch (NumberFormatException e) {
                throw ProcessException.invalid(id, "input '" + id + "': corner '" + text.trim() + "' is not numbers");
            }
        }
        return v;
    }

    /**
     * The content of the current element: its text, or its child elements re-serialised (for
     * inline XML/JSON documents and POST bodies).
     */
    private static String innerXml(XMLStreamReader r, String end) throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        javax.xml.stream.XMLOutputFactory of = javax.xml.stream.XMLOutputFactory.newFactory();
        java.io.StringWriter sw = new java.io.StringWriter();
        javax.xml.stream.XMLStreamWriter w = of.createXMLStreamWriter(sw);
        int depth = 0;
        boolean elements = false;
        while (r.hasNext()) {
            int e = r.next();
            switch (e) {
                case XMLStreamConstants.START_ELEMENT:
                    elements = true;
                    depth++;
                    String p = r.getPrefix();
                    String ns = r.getNamespaceURI();
                    if (ns != null) {
                        w.writeStartElement(p == null ? "" : p, r.getLocalName(), ns);
                        if (p == null || p.isEmpty()) {
                            w.writeDefaultNamespace(ns);
                        } else {
                            w.writeNamespace(p, ns);
                        }
                    } else {
                        w.writeStartElement(r.getLocalName());
                    }
                    for (int i = 0; i < r.getAttributeCount(); i++) {
                        String ans = r.getAttributeNamespace(i);
                        if (ans == null || ans.isEmpty()) {
                            w.writeAttribute(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        } else {
                            w.writeAttribute(r.getAttributePrefix(i), ans, r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                    }
                    break;
                case XMLStreamConstants.END_ELEMENT:
                    if (depth == 0) {
                        w.flush();
                        return elements ? sw.toString() : text.toString();
                    }
                    depth--;
                    w.writeEndElement();
                    break;
                case XMLStreamConstants.CHARACTERS:
                case XMLStreamConstants.CDATA:
                case XMLStreamConstants.SPACE:
                    if (depth == 0) {
                        text.append(r.getText());
                    } else {
                        w.writeCharacters(r.getText());
                    }
                    break;
                case XMLStreamConstants.ENTITY_REFERENCE:
                case XMLStreamConstants.DTD:
                    throw ProcessException.invalid("request", "entities and DTDs are not allowed in requests");
                default:
                    break;
            }
        }
        throw new XMLStreamException("unexpected end of document inside " + end);
    }

    private static void nextStart(XMLStreamReader r) throws XMLStreamException {
        while (r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.DTD) {
                throw ProcessException.invalid("request", "DTDs are not allowed in requests");
            }
            if (e == XMLStreamConstants.START_ELEMENT) {
                return;
            }
        }
        throw new XMLStreamException("the document is empty");
    }
}
