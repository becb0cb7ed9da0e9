package dev.bayesnf.service.wms;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Shared helpers for the XML documents of the WMS (StAX, UTF-8). Thread-safe. */
final class Xml {
    /** The JDK does not promise a thread-safe factory, so each thread keeps its own. */
    private static final ThreadLocal<XMLOutputFactory> FACTORY = ThreadLocal.withInitial(XMLOutputFactory::newFactory);

    private Xml() {}

    /** Writes one document. */
    interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    static byte[] document(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            XMLStreamWriter w = FACTORY.get().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            body.write(w);
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write XML: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    /**
     * A coordinate for people: twelve significant digits, which hides the rounding noise of cell
     * centre arithmetic (-7.949999999999999 becomes -7.95).
     */
    static String coordinate(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return num(new BigDecimal(v).round(new java.math.MathContext(12)).doubleValue());
    }

    /** A number in plain decimal notation (no exponent), shortest form that reads back exactly. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        String s = BigDecimal.valueOf(v).toPlainString();
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
