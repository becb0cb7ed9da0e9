package dev.bayesnf.service.xml;

import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * StAX readers for untrusted request bodies: no DTDs, no external entities, no entity expansion
 * (XXE and billion-laughs requests fail with a parse error instead of reaching the file system or
 * the network).
 */
public final class SafeXml {
    private static final XMLInputFactory FACTORY;

    static {
        FACTORY = XMLInputFactory.newFactory();
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        FACTORY.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        FACTORY.setXMLResolver((publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external entities are not allowed (" + systemId + ")");
        });
    }

    private SafeXml() {}

    public static XMLStreamReader reader(byte[] body) throws XMLStreamException {
        return FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
    }
}
