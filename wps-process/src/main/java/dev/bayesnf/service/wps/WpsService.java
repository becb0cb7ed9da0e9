package dev.bayesnf.service.wps;

import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.JobManager;
import dev.bayesnf.service.jobs.JobStatus;
import dev.bayesnf.service.jobs.ResponseOptions;
import dev.bayesnf.service.jobs.StoredOutput;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ReferenceFetcher;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 *
 * <p>This class routes the operations and runs Execute; the documents are {@link WpsCapabilities}'s
 * and {@link ExecuteResponseDocument}'s, the exception reports {@link WpsExceptions}'.
 */
public final class WpsService {
    static final String WPS = ExecuteParser.WPS;
    static final String OWS = ExecuteParser.OWS;
    static final Map<String, String> NS = Map.of("wps", WPS, "ows", OWS, "xlink", ExecuteParser.XLINK,
            "xsi", "http://www.w3.org/2001/XMLSchema-instance", "xml", "http://www.w3.org/XML/1998/namespace");
    static final String XML = "text/xml; charset=UTF-8";

    private final JobManager jobs;
    private final ExecuteParser parser;
    private final WpsCapabilities capabilities;
    private final ExecuteResponseDocument responses;

    public WpsService(JobManager jobs, ReferenceFetcher fetcher) {
        this.jobs = jobs;
        String base = jobs.config().baseUrl();
        this.parser = new ExecuteParser(fetcher, jobs::requireProcess);
        this.capabilities = new WpsCapabilities(jobs, base);
        this.responses = new ExecuteResponseDocument(jobs, base);
    }

    /** The status document URL of a job. */
    public String statusLocation(String jobId) {
        return responses.statusLocation(jobId);
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
                    return capabilities.capabilities(kvp);
                case "describeprocess":
                    checkVersion(kvp.get("version"));
                    return capabilities.describe(kvp.get("identifier"));
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
            return WpsExceptions.exception(e);
        } catch (dev.bayesnf.service.jobs.DamagedResultException e) {
            return WpsExceptions.exception(new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, null, e.getMessage()));
        } catch (RuntimeException | SQLException | IOException | InterruptedException e) {
            return WpsExceptions.internal(e);
        }
    }

    /** Answers an XML POST request. */
    public HttpReply handlePost(byte[] body) {
        try {
            String head = new String(body, 0, Math.min(body.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
            if (head.contains("GetCapabilities") && !head.contains("Execute")) {
                return capabilities.capabilities(Kvp.of(Map.of()));
            }
            if (head.contains("DescribeProcess") && !head.contains(":Execute") && !head.contains("<Execute")) {
                return capabilities.describe(describeIdentifiers(body));
            }
            return execute(parser.parseXml(body));
        } catch (ProcessException e) {
            return WpsExceptions.exception(e);
        } catch (dev.bayesnf.service.jobs.DamagedResultException e) {
            return WpsExceptions.exception(new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, null, e.getMessage()));
        } catch (RuntimeException | SQLException | IOException | InterruptedException e) {
            return WpsExceptions.internal(e);
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

    // ---------------------------------------------------------------- Execute

    /**
     * Submits a parsed request (its process looked up, its bounding boxes read by the parser) with
     * its response options; the outputs and media types asked for are checked by the submission.
     */
    private HttpReply execute(ExecuteRequest req) throws IOException, SQLException, InterruptedException {
        ExecuteRequest.ResponseDocument doc = req.document();
        List<ExecuteRequest.OutputRequest> outs = new ArrayList<>();
        if (req.raw() != null) {
            outs.add(req.raw());
        } else if (doc != null && !doc.outputs().isEmpty()) {
            outs.addAll(doc.outputs());
        }
        List<ResponseOptions.Output> outputs = new ArrayList<>();
        for (ExecuteRequest.OutputRequest o : outs) {
            outputs.add(new ResponseOptions.Output(o.id(), o.mimeType(), o.asReference()));
        }
        Job job = jobs.submit(req.process(), req.inputs(), ResponseOptions.wps(doc != null && doc.lineage(), outputs));
        if (doc != null && doc.store()) {
            return HttpReply.of(200, XML, responses.write(job, true));
        }
        Job done = jobs.await(job.id(), jobs.config().syncTimeout());
        if (req.raw() != null) {
            return raw(done, req.raw());
        }
        return HttpReply.of(200, XML, responses.write(done, !done.status().finished()));
    }

    private HttpReply raw(Job job, ExecuteRequest.OutputRequest out) throws IOException {
        if (job.status() == JobStatus.FAILED || job.status() == JobStatus.DISMISSED) {
            return WpsExceptions.exception(new ProcessException(ProcessException.Code.ofOws(job.errorCode()), job.errorLocator(),
                    job.errorMessage()));
        }
        if (job.status() != JobStatus.SUCCESSFUL) {
            return WpsExceptions.exception(new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, null,
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

    // ---------------------------------------------------------------- status, dismiss

    private HttpReply status(String id) throws IOException, SQLException {
        Job j = lookup(id);
        return HttpReply.of(200, XML, responses.write(j, true));
    }

    private HttpReply dismiss(String id) throws IOException, SQLException, InterruptedException {
        lookup(id);
        Job j = jobs.dismiss(id).orElseThrow();
        return HttpReply.of(200, XML, responses.write(j, true));
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
}
