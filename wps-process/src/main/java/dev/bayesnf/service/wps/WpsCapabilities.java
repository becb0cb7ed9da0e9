package dev.bayesnf.service.wps;

import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.jobs.JobManager;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.DataKind;
import dev.bayesnf.service.process.Format;
import dev.bayesnf.service.process.InputSpec;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessSpec;
import dev.bayesnf.service.xml.XmlWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The WPS 1.0.0 documents that describe the service: the Capabilities (service identification,
 * operations, process offerings) and the ProcessDescriptions of DescribeProcess, written from the
 * processes' specs. Refusals are {@link ProcessException}s, written by {@link WpsExceptions}.
 */
final class WpsCapabilities {
    private static final java.util.Map<String, String> NS = WpsService.NS;
    private static final String WPS = WpsService.WPS;
    private static final String XML = WpsService.XML;

    private final JobManager jobs;
    private final String base;

    WpsCapabilities(JobManager jobs, String base) {
        this.jobs = jobs;
        this.base = base;
    }

    private String endpoint() {
        return base + "/wps";
    }

    // ---------------------------------------------------------------- GetCapabilities

    HttpReply capabilities(Kvp kvp) {
        String accept = kvp.get("AcceptVersions");
        if (accept != null && !List.of(accept.split(",")).stream().map(String::trim).toList().contains("1.0.0")) {
            throw new ProcessException(ProcessException.Code.VERSION_NEGOTIATION_FAILED, "AcceptVersions",
                    "this service speaks WPS 1.0.0 only, asked for " + accept);
        }
        XmlWriter x = new XmlWriter(NS);
        x.start("wps:Capabilities").declareNamespaces().attr("service", "WPS").attr("version", "1.0.0")
                .attr("xml:lang", "en-US").attr("updateSequence", null)
                .attr("xsi:schemaLocation", WPS + " http://schemas.opengis.net/wps/1.0.0/wpsGetCapabilities_response.xsd");
        x.start("ows:ServiceIdentification")
                .element("ows:Title", "BayesNF geospatial processing service")
                .element("ows:Abstract", "Bayesian neural field (BayesNF) fitting, forecasting and interpolation of point"
                        + " observations that vary in space and time, with calibrated uncertainty. Results are GeoTIFF"
                        + " downloads and WMS layers at " + base + "/wms. Asynchronous execution"
                        + " (storeExecuteResponse=true, status=true) is recommended for Fit; results are kept "
                        + jobs.config().resultExpiry().toHours() + " hours.")
                .start("ows:Keywords").element("ows:Keyword", "BayesNF").element("ows:Keyword", "forecast")
                .element("ows:Keyword", "interpolation").element("ows:Keyword", "uncertainty").end()
                .element("ows:ServiceType", "WPS").element("ows:ServiceTypeVersion", "1.0.0")
                .element("ows:Fees", "NONE").element("ows:AccessConstraints", "NONE").end();
        x.start("ows:ServiceProvider").element("ows:ProviderName", "BayesNF geospatial processing service")
                .start("ows:ProviderSite").attr("xlink:href", base + "/").end()
                .start("ows:ServiceContact").element("ows:IndividualName", "Service administrator").end().end();
        x.start("ows:OperationsMetadata");
        for (String op : List.of("GetCapabilities", "DescribeProcess", "Execute")) {
            x.start("ows:Operation").attr("name", op).start("ows:DCP").start("ows:HTTP")
                    .start("ows:Get").attr("xlink:href", endpoint() + "?").end()
                    .start("ows:Post").attr("xlink:href", endpoint()).end().end().end().end();
        }
        x.end();
        x.start("wps:ProcessOfferings");
        for (BayesProcess p : jobs.processes().values()) {
            ProcessSpec s = p.spec();
            x.start("wps:Process").attr("wps:processVersion", s.version())
                    .element("ows:Identifier", s.id()).element("ows:Title", s.title())
                    .element("ows:Abstract", s.description()).end();
        }
        x.end();
        x.start("wps:Languages").start("wps:Default").element("ows:Language", "en-US").end()
                .start("wps:Supported").element("ows:Language", "en-US").end().end();
        x.end();
        return HttpReply.of(200, XML, x.toBytes());
    }

    // ---------------------------------------------------------------- DescribeProcess

    HttpReply describe(String identifiers) {
        if (identifiers == null || identifiers.isBlank()) {
            throw ProcessException.missing("identifier", "DescribeProcess needs 'identifier' (a process id, a"
                    + " comma-separated list, or ALL)");
        }
        List<ProcessSpec> specs = new ArrayList<>();
        if (identifiers.trim().equalsIgnoreCase("ALL")) {
            jobs.processes().values().forEach(p -> specs.add(p.spec()));
        } else {
            for (String id : identifiers.split(",")) {
                BayesProcess p = jobs.process(id.trim()).orElseThrow(() -> ProcessException.invalid("identifier",
                        "no process '" + id.trim() + "'; processes: " + String.join(", ", jobs.processes().keySet())));
                specs.add(p.spec());
            }
        }
        long maxMb = Math.max(1, jobs.config().maxRequestBytes() >> 20);
        XmlWriter x = new XmlWriter(NS);
        x.start("wps:ProcessDescriptions").declareNamespaces().attr("service", "WPS").attr("version", "1.0.0")
                .attr("xml:lang", "en-US")
                .attr("xsi:schemaLocation", WPS + " http://schemas.opengis.net/wps/1.0.0/wpsDescribeProcess_response.xsd");
        for (ProcessSpec s : specs) {
            x.start("ProcessDescription").attr("wps:processVersion", s.version()).attr("storeSupported", "true")
                    .attr("statusSupported", "true");
            x.element("ows:Identifier", s.id()).element("ows:Title", s.title()).element("ows:Abstract", s.description());
            if (!s.inputs().isEmpty()) {
                x.start("DataInputs");
                for (InputSpec in : s.inputs()) {
                    x.start("Input").attr("minOccurs", in.minOccurs()).attr("maxOccurs", in.maxOccurs());
                    x.element("ows:Identifier", in.id()).element("ows:Title", in.title());
                    if (!in.description().isEmpty()) {
                        x.element("ows:Abstract", in.description());
                    }
                    switch (in.kind()) {
                        case LITERAL:
                            x.start("LiteralData");
                            x.start("ows:DataType").attr("ows:reference", "http://www.w3.org/2001/XMLSchema#"
                                    + in.dataType()).text(in.dataType()).end();
                            if (in.unit() != null) {
                                x.start("UOMs").start("Default").element("ows:UOM", in.unit()).end()
                                        .start("Supported").element("ows:UOM", in.unit()).end().end();
                            }
                            if (!in.allowedValues().isEmpty()) {
                                x.start("ows:AllowedValues");
                                for (String v : in.allowedValues()) {
                                    x.element("ows:Value", v);
                                }
                                x.end();
                            } else if (in.minimum() != null || in.maximum() != null) {
                                x.start("ows:AllowedValues").start("ows:Range").attr("ows:rangeClosure", "closed");
                                if (in.minimum() != null) {
                                    x.element("ows:MinimumValue", number(in.minimum(), in.dataType()));
                                }
                                if (in.maximum() != null) {
                                    x.element("ows:MaximumValue", number(in.maximum(), in.dataType()));
                                }
                                x.end().end();
                            } else {
                                x.empty("ows:AnyValue");
                            }
                            if (in.defaultValue() != null) {
                                x.element("DefaultValue", in.defaultValue());
                            }
                            x.end();
                            break;
                        case COMPLEX:
                            x.start("ComplexData").attr("maximumMegabytes", maxMb);
                            formats(x, in.formats());
                            x.end();
                            break;
                        case BBOX:
                            x.start("BoundingBoxData").start("Default").element("CRS", in.crs().get(0)).end()
                                    .start("Supported");
                            for (String c : in.crs()) {
                                x.element("CRS", c);
                            }
                            x.end().end();
                            break;
                        default:
                            throw new IllegalStateException();
                    }
                    x.end();
                }
                x.end();
            }
            x.start("ProcessOutputs");
            for (OutputSpec o : s.outputs()) {
                x.start("Output").element("ows:Identifier", o.id()).element("ows:Title", o.title());
                if (!o.description().isEmpty()) {
                    x.element("ows:Abstract", o.description());
                }
                if (o.kind() == DataKind.LITERAL) {
                    x.start("LiteralOutput").start("ows:DataType").attr("ows:reference",
                            "http://www.w3.org/2001/XMLSchema#" + o.dataType()).text(o.dataType()).end().end();
                } else {
                    x.start("ComplexOutput");
                    formats(x, o.formats());
                    x.end();
                }
                x.end();
            }
            x.end();
            x.end();
        }
        x.end();
        return HttpReply.of(200, XML, x.toBytes());
    }

    private static String number(double d, String type) {
        return "integer".equals(type) || d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static void formats(XmlWriter x, List<Format> formats) {
        x.start("Default");
        format(x, formats.get(0));
        x.end().start("Supported");
        for (Format f : formats) {
            format(x, f);
        }
        x.end();
    }

    private static void format(XmlWriter x, Format f) {
        x.start("Format").element("MimeType", f.mimeType());
        if (f.encoding() != null) {
            x.element("Encoding", f.encoding());
        }
        x.end();
    }
}
