package dev.bayesnf.service;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.SAXException;

/** Validates responses against the official OGC schemas from the org.jvnet.ogc schema jars (offline). */
public final class OgcSchemas {
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private OgcSchemas() {}

    /** The WPS 1.0.0 schema (all documents, OWS 1.1 exception reports included). */
    public static void validateWps(byte[] xml) {
        validate("/wps/1.0.0/wpsAll.xsd", xml);
    }

    public static void validateOwsException(byte[] xml) {
        validate("/ows/1.1.0/owsExceptionReport.xsd", xml);
    }

    public static void validate(String resource, byte[] xml) {
        Schema s = CACHE.computeIfAbsent(resource, r -> {
            try {
                URL u = OgcSchemas.class.getResource(r);
                if (u == null) {
                    throw new IllegalStateException("schema " + r + " not on the test classpath");
                }
                SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
                return f.newSchema(u);
            } catch (SAXException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            s.newValidator().validate(new StreamSource(new ByteArrayInputStream(xml)));
        } catch (SAXException | java.io.IOException e) {
            fail("not valid against " + resource + ": " + e.getMessage() + "\n"
                    + new String(xml, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
