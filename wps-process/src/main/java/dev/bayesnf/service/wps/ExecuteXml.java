package dev.bayesnf.service.wps;

import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ReferenceFetcher;
import dev.bayesnf.service.xml.SafeXml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The syntax of a WPS 1.0.0 Execute request in XML (POST, OGC 05-007r7 §10.2.3), for
 * {@link ExecuteParser}: a wps:Execute document read with {@link SafeXml} (no DTDs, no entities),
 * its inputs (literal, complex inline or base64, by reference through the {@link ReferenceFetcher},
 * bounding boxes) and response form.
 */
final class ExecuteXml {
    private static final String WPS = ExecuteParser.WPS;
    private static final String OWS = ExecuteParser.OWS;
    private static final String XLINK = ExecuteParser.XLINK;

    private final ReferenceFetcher fetcher;

    ExecuteXml(ReferenceFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** The request in {@code body}, its syntax only (the parser reads it against its process). */
    ExecuteRequest read(byte[] body) {
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
        return new ExecuteRequest(identifier, inputs, raw, doc, null);
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
                value = ExecuteParser.complex(id, text, mime, enc);
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
