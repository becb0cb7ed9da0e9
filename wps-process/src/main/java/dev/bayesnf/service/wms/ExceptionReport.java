package dev.bayesnf.service.wms;

import dev.bayesnf.service.http.HttpReply;

/**
 * The WMS 1.3.0 error document (OGC 06-042 Annex E, {@code exceptions_1_3_0.xsd}):
 * {@code <ServiceExceptionReport version="1.3.0" xmlns="http://www.opengis.net/ogc">}.
 *
 * <p>Served with HTTP 200 and {@code Content-Type: text/xml}, as GeoServer does: OWSLib 0.27.2
 * recognises an exception by that exact content type and then raises it with the parsed message
 * (for a 400 it raises the raw body), and QGIS and GDAL show the message of a 200 XML report.
 */
final class ExceptionReport {
    static final String NAMESPACE = "http://www.opengis.net/ogc";
    static final String CONTENT_TYPE = "text/xml";

    private ExceptionReport() {}

    static HttpReply reply(WmsException e) {
        byte[] body = Xml.document(w -> {
            w.setDefaultNamespace(NAMESPACE);
            w.writeStartElement(NAMESPACE, "ServiceExceptionReport");
            w.writeDefaultNamespace(NAMESPACE);
            w.writeAttribute("version", "1.3.0");
            w.writeStartElement(NAMESPACE, "ServiceException");
            w.writeAttribute("code", e.code());
            if (e.locator() != null) {
                w.writeAttribute("locator", e.locator());
            }
            w.writeCharacters(e.getMessage());
            w.writeEndElement();
            w.writeEndElement();
        });
        return HttpReply.of(200, CONTENT_TYPE, body);
    }
}
