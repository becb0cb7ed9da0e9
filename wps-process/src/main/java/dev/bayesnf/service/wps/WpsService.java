package dev.bayesnf.service.wps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.JobManager;
import dev.bayesnf.service.jobs.JobStatus;
import dev.bayesnf.service.jobs.StoredOutput;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.DataKind;
import dev.bayesnf.service.process.Format;
import dev.bayesnf.service.process.InputSpec;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessSpec;
import dev.bayesnf.service.process.ReferenceFetcher;
import dev.bayesnf.service.xml.XmlWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WPS 1.0.0 (OGC 05-007r7) over the {@link JobManager}: GetCapabilities, DescribeProcess and
 * Execute by KVP GET and XML POST at one endpoint; RawDataOutput and ResponseDocument; outputs
 * inline or {@code asReference} in synchronous and asynchronous mode; {@code storeExecuteResponse}
 * with a status document at {@code statusLocation} that reports {@code percentCompleted} from
 * training progress; lineage; and the vendor operations GetExecutionStatus (the status document)
 * and Dismiss (as GeoServer names them). Every error is an {@code ows:ExceptionReport}.
 *
 * <p>Bounding boxes: a CRS written as {@code EPSG:4326} is read longitude first (as GeoServer
 * reads it); URN and URI spellings ({@code urn:ogc:def:crs:EPSG::4326}) follow the CRS's axis
 * order (latitude first).
 */
public final class WpsService {
    private static final Logger LOG = LoggerFactory.getLogger(WpsService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String WPS = ExecuteParser.WPS;
    static final String OWS = ExecuteParser.OWS;
    private static final Map<String, String> NS = Map.of("wps", WPS, "ows", OWS, "xlink", ExecuteParser.XLINK,
            "xsi", "http://www.w3.org/2001/XMLSchema-instance", "xml", "http://www.w3.org/XML/1998/namespace");
    private static final String XML = "text/xml; charset=UTF-8";

    private final JobManager jobs;
    private final String base;
    private final ExecuteParser parser;

    public WpsService(JobManager jobs, ReferenceFetcher fetcher) {
        this.jobs = jobs;
        this.base = jobs.config().baseUrl();
        this.parser = new ExecuteParser(fetcher);
    }

    private String endpoint() {
        return base + "/wps";
    }

    /** The status document URL of a job. */
    public String statusLocation(String jobId) {
        return endpoint() + "?service=WPS&version=1.0.0&request=GetExecutionStatus&executionId=" + jobId;
    }

    /** Answers a KVP GET request. */
    public HttpReply handleGet(Kvp kvp) {
        try {
            String request = kvp.get("request");
            if (request == null || request.isBlank()) {
                throw ProcessException.missing("request", "the 'request' parameter is missing (GetCapabilities,"
                        + " DescribeProcess, Execute)");
            }
            String service = kvp.get("service");
            if (service == null && !request.equalsIgnoreCase("GetExecutionStatus")) {
                throw ProcessException.missing("service", "the 'service' parameter is missing (service=WPS)");
            }
            if (service != null && !service.equalsIgnoreCase("WPS")) {
                throw ProcessException.invalid("service", "this endpoint serves WPS, not '" + service + "'");
            }
            switch (request.toLowerCase(Locale.ROOT)) {
                case "getcapabilities":
                    return capabilities(kvp);
                case "describeprocess":
                    checkVersion(kvp.get("version"));
                    return describe(kvp.get("identifier"));
                case "execute":
                    checkVersion(kvp.get("version"));
                    return execute(parser.parseKvp(kvp));
                case "getexecutionstatus":
                    return status(kvp.get("executionId"));
                case "dismiss":
                    return dismiss(kvp.get("executionId"));
                default:
                    throw new ProcessException(ProcessException.Code.OPERATION_NOT_SUPPORTED, "request",
                            "operation '" + request + "' is not supported (GetCapabilities, DescribeProcess, Execute,"
                                    + " GetExecutionStatus, Dismiss)");
            }
        } catch (ProcessException e) {
            return exception(e);
        } catch (dev.bayesnf.service.jobs.DamagedResultException e) {
            return exception(new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, null, e.getMessage()));
        } catch (RuntimeException | SQLException | IOException | InterruptedException e) {
            return internal(e);
        }
    }

    /** Answers an XML POST request. */
    public HttpReply handlePost(byte[] body) {
        try {
            String head = new String(body, 0, Math.min(body.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
            if (head.contains("GetCapabilities") && !head.contains("Execute")) {
                return capabilities(Kvp.of(Map.of()));
            }
            if (head.contains("DescribeProcess") && !head.contains(":Execute") && !head.contains("<Execute")) {
                return describe(describeIdentifiers(body));
            }
            return execute(parser.parseXml(body));
        } catch (ProcessException e) {
            return exception(e);
        } catch (dev.bayesnf.service.jobs.DamagedResultException e) {
            return exception(new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, null, e.getMessage()));
        } catch (RuntimeException | SQLException | IOException | InterruptedException e) {
            return internal(e);
        }
    }

    private static String describeIdentifiers(byte[] body) {
        try {
            javax.xml.stream.XMLStreamReader r = dev.bayesnf.service.xml.SafeXml.reader(body);
            List<String> ids = new ArrayList<>();
            while (r.hasNext()) {
                int e = r.next();
                if (e == javax.xml.stream.XMLStreamConstants.DTD) {
                    throw ProcessException.invalid("request", "DTDs are not allowed in requests");
                }
                if (e == javax.xml.stream.XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("Identifier")) {
                    ids.add(r.getElementText().trim());
                }
            }
            return String.join(",", ids);
        } catch (javax.xml.stream.XMLStreamException e) {
            throw ProcessException.invalid("request", "the request is not well-formed XML: "
                    + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
        }
    }

    private static void checkVersion(String v) {
        if (v != null && !v.isBlank() && !v.trim().equals("1.0.0")) {
            throw new ProcessException(ProcessException.Code.VERSION_NEGOTIATION_FAILED, "version",
                    "this service speaks WPS 1.0.0, not " + v);
        }
    }

    // ---------------------------------------------------------------- GetCapabilities

    private HttpReply capabilities(Kvp kvp) {
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

    private HttpReply describe(String identifiers) {
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

    // ---------------------------------------------------------------- Execute

    private HttpReply execute(ExecuteRequest req) throws IOException, SQLException, InterruptedException {
        BayesProcess proc = jobs.process(req.identifier()).orElseThrow(() -> ProcessException.invalid("Identifier",
                "no process '" + req.identifier() + "'; processes: " + String.join(", ", jobs.processes().keySet())));
        ProcessSpec spec = proc.spec();
        ExecuteRequest.ResponseDocument doc = req.document();
        if (doc != null && doc.status() && !doc.store()) {
            throw ProcessException.invalid("status", "status=true needs storeExecuteResponse=true");
        }
        Map<String, String> formats = new LinkedHashMap<>();
        List<ExecuteRequest.OutputRequest> outs = new ArrayList<>();
        if (req.raw() != null) {
            outs.add(req.raw());
        } else if (doc != null && !doc.outputs().isEmpty()) {
            outs.addAll(doc.outputs());
        }
        for (ExecuteRequest.OutputRequest o : outs) {
            OutputSpec os = spec.output(o.id()).orElseThrow(() -> ProcessException.invalid(o.id(),
                    "process " + spec.id() + " has no output '" + o.id() + "'; outputs: "
                            + spec.outputs().stream().map(OutputSpec::id).toList()));
            if (o.mimeType() != null && os.kind() == DataKind.COMPLEX) {
                os.format(o.mimeType());
                formats.put(o.id(), o.mimeType());
            }
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("protocol", "wps");
        info.put("lineage", doc != null && doc.lineage());
        List<Map<String, Object>> od = new ArrayList<>();
        for (ExecuteRequest.OutputRequest o : outs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", o.id());
            m.put("mimeType", o.mimeType());
            m.put("asReference", o.asReference());
            od.add(m);
        }
        info.put("outputs", od);
        Map<String, List<dev.bayesnf.service.process.InputValue>> inputs = new LinkedHashMap<>();
        req.inputs().forEach((k, v) -> {
            boolean bbox = spec.input(k).map(i -> i.kind() == DataKind.BBOX).orElse(false);
            inputs.put(k, !bbox ? v : v.stream().map(x -> x instanceof dev.bayesnf.service.process.InputValue.Literal l
                    ? ExecuteParser.bboxFromKvp(k, l.value()) : x).toList());
        });
        Job job = jobs.submit(spec.id(), inputs, formats, info);
        if (doc != null && doc.store()) {
            return HttpReply.of(200, XML, executeResponse(job, true));
        }
        Job done = jobs.await(job.id(), jobs.config().syncTimeout());
        if (req.raw() != null) {
            return raw(done, req.raw());
        }
        return HttpReply.of(200, XML, executeResponse(done, !done.status().finished()));
    }

    private HttpReply raw(Job job, ExecuteRequest.OutputRequest out) throws IOException {
        if (job.status() == JobStatus.FAILED || job.status() == JobStatus.DISMISSED) {
            return exception(new ProcessException(ProcessException.Code.ofOws(job.errorCode()), job.errorLocator(),
                    job.errorMessage()));
        }
        if (job.status() != JobStatus.SUCCESSFUL) {
            return exception(new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, null,
                    "the process did not finish within " + jobs.config().syncTimeout().toSeconds()
                            + " s; it goes on as job " + job.id() + " (status: " + statusLocation(job.id())
                            + "); use storeExecuteResponse=true for long requests"));
        }
        StoredOutput o = job.outputs().stream().filter(s -> s.id().equals(out.id())).findFirst().orElseThrow();
        if (o.literal() != null) {
            return HttpReply.text(200, "text/plain; charset=UTF-8", o.literal());
        }
        Path file = jobs.storedFile(job, o);
        String name = file.getFileName().toString();
        return HttpReply.file(out.mimeType() != null ? out.mimeType() : o.mimeType(), file,
                Map.of("Content-Disposition", "attachment; filename=\"" + name + "\""));
    }

    /** The ExecuteResponse document of a job in its current state. */
    byte[] executeResponse(Job job, boolean withStatusLocation) throws IOException {
        JsonNode request = JSON.readTree(job.request());
        JsonNode info = request.path("request");
        BayesProcess proc = jobs.process(job.process()).orElseThrow();
        ProcessSpec spec = proc.spec();
        XmlWriter x = new XmlWriter(NS);
        x.start("wps:ExecuteResponse").declareNamespaces().attr("service", "WPS").attr("version", "1.0.0")
                .attr("xml:lang", "en-US").attr("serviceInstance", endpoint() + "?service=WPS&request=GetCapabilities")
                .attr("statusLocation", withStatusLocation || !job.status().finished() ? statusLocation(job.id()) : null)
                .attr("xsi:schemaLocation", WPS + " http://schemas.opengis.net/wps/1.0.0/wpsExecute_response.xsd");
        x.start("wps:Process").attr("wps:processVersion", spec.version()).element("ows:Identifier", spec.id())
                .element("ows:Title", spec.title()).element("ows:Abstract", spec.description()).end();
        x.start("wps:Status").attr("creationTime", (job.updated() == null ? Instant.now() : job.updated())
                .truncatedTo(ChronoUnit.MILLIS).toString());
        switch (job.status()) {
            case ACCEPTED:
                x.element("wps:ProcessAccepted", "queued as job " + job.id());
                break;
            case RUNNING:
                x.start("wps:ProcessStarted").attr("percentCompleted", job.progress())
                        .text(job.message() == null ? "running" : job.message()).end();
                break;
            case SUCCESSFUL:
                x.element("wps:ProcessSucceeded", "finished; results are kept until " + job.expires());
                break;
            default:
                x.start("wps:ProcessFailed");
                exceptionReport(x, job.errorCode() == null ? "NoApplicableCode" : job.errorCode(), job.errorLocator(),
                        job.errorMessage() == null ? job.status().code() : job.errorMessage(), false);
                x.end();
        }
        x.end();
        List<JsonNode> requested = new ArrayList<>();
        info.path("outputs").forEach(requested::add);
        if (info.path("lineage").asBoolean(false)) {
            x.start("wps:DataInputs");
            request.path("inputs").properties().forEach(e -> {
                for (JsonNode v : e.getValue()) {
                    x.start("wps:Input").element("ows:Identifier", e.getKey())
                            .element("ows:Title", spec.input(e.getKey()).map(InputSpec::title).orElse(e.getKey()));
                    if (v.has("literal")) {
                        x.start("wps:Data").element("wps:LiteralData", v.get("literal").asText()).end();
                    } else if (v.has("file")) {
                        x.start("wps:Reference").attr("xlink:href", base + "/results/" + job.id() + "/inputs/"
                                + v.get("file").asText()).attr("mimeType", v.path("mimeType").isTextual()
                                        ? v.get("mimeType").asText() : null).end();
                    } else if (v.has("href")) {
                        // given by reference: the client's own URL, which the job fetched
                        x.start("wps:Reference").attr("xlink:href", v.get("href").asText()).attr("mimeType",
                                v.path("mimeType").isTextual() ? v.get("mimeType").asText() : null).end();
                    } else if (v.has("lower")) {
                        x.start("wps:Data").start("wps:BoundingBoxData")
                                .attr("crs", v.path("crs").isTextual() ? v.get("crs").asText() : null).attr("dimensions", 2)
                                .element("ows:LowerCorner", v.get("lower").get(0).asText() + " " + v.get("lower").get(1).asText())
                                .element("ows:UpperCorner", v.get("upper").get(0).asText() + " " + v.get("upper").get(1).asText())
                                .end().end();
                    }
                    x.end();
                }
            });
            x.end();
            x.start("wps:OutputDefinitions");
            for (JsonNode o : requested.isEmpty() ? defaultDefinitions(spec) : requested) {
                x.start("wps:Output").attr("asReference", o.path("asReference").asBoolean(false))
                        .attr("mimeType", o.path("mimeType").isTextual() ? o.get("mimeType").asText() : null)
                        .element("ows:Identifier", o.get("id").asText()).end();
            }
            x.end();
        }
        if (job.status() == JobStatus.SUCCESSFUL) {
            x.start("wps:ProcessOutputs");
            List<JsonNode> which = requested.isEmpty() ? defaultDefinitions(spec) : requested;
            for (JsonNode o : which) {
                String id = o.get("id").asText();
                boolean ref = o.path("asReference").asBoolean(false);
                Optional<StoredOutput> so = job.outputs().stream().filter(s -> s.id().equals(id)).findFirst();
                if (so.isEmpty()) {
                    continue;
                }
                StoredOutput s = so.get();
                OutputSpec os = spec.output(id).orElseThrow();
                x.start("wps:Output").element("ows:Identifier", id).element("ows:Title", os.title());
                if (s.literal() != null) {
                    x.start("wps:Data").start("wps:LiteralData").attr("dataType", os.dataType()).text(s.literal())
                            .end().end();
                } else if (ref) {
                    x.start("wps:Reference").attr("href", base + "/results/" + job.id() + "/" + s.file())
                            .attr("mimeType", s.mimeType()).end();
                } else {
                    byte[] data = Files.readAllBytes(jobs.storedFile(job, s));
                    x.start("wps:Data").start("wps:ComplexData").attr("mimeType", s.mimeType());
                    if (s.binary()) {
                        x.attr("encoding", "base64").text(Base64.getEncoder().encodeToString(data));
                    } else {
                        x.cdata(new String(data, java.nio.charset.StandardCharsets.UTF_8));
                    }
                    x.end().end();
                }
                x.end();
            }
            x.end();
        }
        x.end();
        return x.toBytes();
    }

    private static List<JsonNode> defaultDefinitions(ProcessSpec spec) {
        List<JsonNode> l = new ArrayList<>();
        for (OutputSpec o : spec.outputs()) {
            l.add(JSON.createObjectNode().put("id", o.id()).put("asReference", false));
        }
        return l;
    }

    // ---------------------------------------------------------------- status, dismiss

    private HttpReply status(String id) throws IOException, SQLException {
        Job j = lookup(id);
        return HttpReply.of(200, XML, executeResponse(j, true));
    }

    private HttpReply dismiss(String id) throws IOException, SQLException, InterruptedException {
        lookup(id);
        Job j = jobs.dismiss(id).orElseThrow();
        return HttpReply.of(200, XML, executeResponse(j, true));
    }

    private Job lookup(String id) throws SQLException {
        if (id == null || id.isBlank()) {
            throw ProcessException.missing("executionId", "'executionId' is missing");
        }
        if (!id.matches("[0-9a-f-]{36}")) {
            throw ProcessException.invalid("executionId", "'" + id + "' is not an execution id");
        }
        return jobs.job(id).orElseThrow(() -> ProcessException.invalid("executionId", "no job '" + id
                + "' (unknown, or its results expired)"));
    }

    // ---------------------------------------------------------------- exceptions

    /** An ows:ExceptionReport for a refused request. */
    public static HttpReply exception(ProcessException e) {
        XmlWriter x = new XmlWriter(NS);
        // WPS 1.0.0 lists its exception codes; a refusal for the caller's role is none of them
        exceptionReport(x, e.code() == ProcessException.Code.FORBIDDEN ? "NoApplicableCode" : e.code().owsCode(),
                e.locator(), e.getMessage(), true);
        // the same HTTP status as OGC API - Processes gives the code
        HttpReply r = HttpReply.of(e.code().httpStatus(), XML, x.toBytes());
        java.util.OptionalLong retry = e.retryAfterSeconds();
        return retry.isPresent() ? r.withHeader("Retry-After", Long.toString(retry.getAsLong())) : r;
    }

    private static void exceptionReport(XmlWriter x, String code, String locator, String message, boolean root) {
        x.start("ows:ExceptionReport");
        if (root) {
            x.declareNamespaces();
        }
        x.attr("version", "1.0.0").attr("xml:lang", "en-US");
        x.start("ows:Exception").attr("exceptionCode", code).attr("locator", locator)
                .element("ows:ExceptionText", message).end();
        x.end();
    }

    private static HttpReply internal(Exception e) {
        LOG.error("WPS request failed", e);
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return exception(new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, null,
                "internal error (" + e.getClass().getSimpleName() + "); see the service log"));
    }
}
