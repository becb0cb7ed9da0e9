package dev.bayesnf.geoserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.geotools.api.feature.type.Name;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The wps.xml limits example and the gs:Import chain name what the plugin really offers. */
final class ExamplesTest {

    static Document parse(String file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(Path.of("examples", file).toFile());
    }

    static List<String> texts(Document d, String ns, String local) {
        NodeList l = ns == null ? d.getElementsByTagName(local) : d.getElementsByTagNameNS(ns, local);
        List<String> r = new ArrayList<>();
        for (int i = 0; i < l.getLength(); i++) {
            r.add(l.item(i).getTextContent().trim());
        }
        return r;
    }

    @Test
    void testWpsXmlNamesTheFactoryItsProcessesAndTheirInputs() throws Exception {
        Document d = parse("wps.xml");
        assertEquals(List.of(BayesNFProcessFactory.class.getName()), texts(d, null, "factoryClass"));
        BayesNFProcessFactory factory = new BayesNFProcessFactory(PluginEnvironment.at(Path.of("target", "examples")));
        Set<String> names = new TreeSet<>();
        for (Name n : factory.getNames()) {
            names.add(n.getURI());
        }
        assertEquals(names, new TreeSet<>(texts(d, null, "name").subList(1, texts(d, null, "name").size())));
        NodeList infos = d.getElementsByTagName("accessInfo");
        for (int i = 0; i < infos.getLength(); i++) {
            var info = (org.w3c.dom.Element) infos.item(i);
            String process = info.getElementsByTagName("name").item(0).getTextContent().trim();
            var inputs = factory.getParameterInfo(factory.getNames().stream().filter(n -> n.getURI().equals(process))
                    .findFirst().orElseThrow());
            NodeList entries = info.getElementsByTagName("entry");
            for (int k = 0; k < entries.getLength(); k++) {
                String key = ((org.w3c.dom.Element) entries.item(k)).getAttribute("key");
                assertTrue(inputs.containsKey(key), process + " has an input " + key);
            }
        }
    }

    @Test
    void testImportChainUsesTheForecastResult() throws Exception {
        Document d = parse("forecast-then-import.xml");
        List<String> ids = texts(d, "http://www.opengis.net/ows/1.1", "Identifier");
        assertEquals("gs:Import", ids.get(0));
        assertTrue(ids.contains("bayesnf:Forecast") && ids.contains("result") && ids.contains("coverage"), ids.toString());
    }
}
