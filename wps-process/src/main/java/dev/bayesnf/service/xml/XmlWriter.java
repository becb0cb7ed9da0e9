package dev.bayesnf.service.xml;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A thin fluent wrapper over {@link XMLStreamWriter} for the OGC responses: prefixed elements
 * ("wps:Process"), attributes, text, and the finished UTF-8 bytes. Not thread-safe; one per
 * response.
 */
public final class XmlWriter {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final XMLStreamWriter w;
    private final java.util.Map<String, String> namespaces;

    public XmlWriter(java.util.Map<String, String> namespaces) {
        this.namespaces = namespaces;
        try {
            w = FACTORY.createXMLStreamWriter(bytes, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens an element named {@code prefix:local} or {@code local} (no namespace). */
    public XmlWriter start(String name) {
        try {
            int c = name.indexOf(':');
            if (c < 0) {
                w.writeStartElement(name);
            } else {
                String prefix = name.substring(0, c);
                w.writeStartElement(prefix, name.substring(c + 1), ns(prefix));
            }
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Declares every namespace of this writer on the current (root) element. */
    public XmlWriter declareNamespaces() {
        try {
            for (var e : namespaces.entrySet()) {
                if (e.getKey().isEmpty()) {
                    w.writeDefaultNamespace(e.getValue());
                } else {
                    w.writeNamespace(e.getKey(), e.getValue());
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    private String ns(String prefix) {
        String u = namespaces.get(prefix);
        if (u == null) {
            throw new IllegalArgumentException("undeclared prefix " + prefix);
        }
        return u;
    }

    /** Adds an attribute {@code prefix:local} or {@code local}; null values are skipped. */
    public XmlWriter attr(String name, Object value) {
        if (value == null) {
            return this;
        }
        try {
            int c = name.indexOf(':');
            if (c < 0) {
                w.writeAttribute(name, value.toString());
            } else {
                String prefix = name.substring(0, c);
                w.writeAttribute(prefix, ns(prefix), name.substring(c + 1), value.toString());
            }
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public XmlWriter text(Object text) {
        try {
            w.writeCharacters(text == null ? "" : text.toString());
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Writes text as a CDATA section (for documents embedded inline). */
    public XmlWriter cdata(String text) {
        try {
            // split any "]]>" so the section stays well-formed
            w.writeCData(text.replace("]]>", "]]]]><![CDATA[>"));
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public XmlWriter end() {
        try {
            w.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** {@code <name>text</name>}. */
    public XmlWriter element(String name, Object text) {
        return start(name).text(text).end();
    }

    /** An empty element. */
    public XmlWriter empty(String name) {
        return start(name).end();
    }

    public byte[] toBytes() {
        try {
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public String toText() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }
}
