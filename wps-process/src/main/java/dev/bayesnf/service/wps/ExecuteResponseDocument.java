package dev.bayesnf.service.wps;

import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.JobManager;
import dev.bayesnf.service.jobs.JobStatus;
import dev.bayesnf.service.jobs.ResponseOptions;
import dev.bayesnf.service.jobs.StoredOutput;
import dev.bayesnf.service.jobs.StoredRequest;
import dev.bayesnf.service.jobs.StoredRequest.StoredInput;
import dev.bayesnf.service.process.InputSpec;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.ProcessSpec;
import dev.bayesnf.service.xml.XmlWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The WPS 1.0.0 ExecuteResponse of a job in its current state, which is also its status document:
 * the status (with {@code percentCompleted} while it runs, the exception report when it failed),
 * with lineage the inputs and output definitions, and once it succeeded the outputs asked for
 * (inline, base64 for binary documents, or by reference), as its {@link ResponseOptions} say.
 */
final class ExecuteResponseDocument {
    private static final Map<String, String> NS = WpsService.NS;

    private final JobManager jobs;
    private final String base;

    ExecuteResponseDocument(JobManager jobs, String base) {
        this.jobs = jobs;
        this.base = base;
    }

    private String endpoint() {
        return base + "/wps";
    }

    /** The status document URL of a job. */
    String statusLocation(String jobId) {
        return endpoint() + "?service=WPS&version=1.0.0&request=GetExecutionStatus&executionId=" + jobId;
    }

    /** The ExecuteResponse document of a job in its current state. */
    byte[] write(Job job, boolean withStatusLocation) throws IOException {
        ResponseOptions options = job.responseOptions();
        ProcessSpec spec = jobs.process(job.process()).orElseThrow().spec();
        XmlWriter x = new XmlWriter(NS);
        x.start("wps:ExecuteResponse").declareNamespaces().attr("service", "WPS").attr("version", "1.0.0")
                .attr("xml:lang", "en-US").attr("serviceInstance", endpoint() + "?service=WPS&request=GetCapabilities")
                .attr("statusLocation", withStatusLocation || !job.status().finished() ? statusLocation(job.id()) : null)
                .attr("xsi:schemaLocation", WpsService.WPS + " http://schemas.opengis.net/wps/1.0.0/wpsExecute_response.xsd");
        x.start("wps:Process").attr("wps:processVersion", spec.version()).element("ows:Identifier", spec.id())
                .element("ows:Title", spec.title()).element("ows:Abstract", spec.description()).end();
        status(x, job);
        List<ResponseOptions.Output> requested = requested(options);
        List<ResponseOptions.Output> which = requested.isEmpty() ? defaultDefinitions(spec) : requested;
        if (options.lineage()) {
            lineage(x, job, spec, job.storedRequest(), which);
        }
        if (job.status() == JobStatus.SUCCESSFUL) {
            outputs(x, job, spec, which);
        }
        x.end();
        return x.toBytes();
    }

    private static void status(XmlWriter x, Job job) {
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
                WpsExceptions.exceptionReport(x, job.errorCode() == null ? "NoApplicableCode" : job.errorCode(),
                        job.errorLocator(), job.errorMessage() == null ? job.status().code() : job.errorMessage(), false);
                x.end();
        }
        x.end();
    }

    /**
     * The outputs a job's request named, as WPS reads them: a WPS request's as it gave them; of
     * another front end's request only which outputs (its transmission choices are not WPS's).
     */
    private static List<ResponseOptions.Output> requested(ResponseOptions options) {
        if (options.origin() == ResponseOptions.Origin.OGCAPI) {
            return options.outputs().stream().map(o -> new ResponseOptions.Output(o.id(), null, false)).toList();
        }
        return options.outputs();
    }

    private static List<ResponseOptions.Output> defaultDefinitions(ProcessSpec spec) {
        List<ResponseOptions.Output> l = new ArrayList<>();
        for (OutputSpec o : spec.outputs()) {
            l.add(new ResponseOptions.Output(o.id(), null, false));
        }
        return l;
    }

    private void lineage(XmlWriter x, Job job, ProcessSpec spec, StoredRequest request,
            List<ResponseOptions.Output> definitions) {
        x.start("wps:DataInputs");
        request.inputs().forEach((id, values) -> {
            for (StoredInput v : values) {
                x.start("wps:Input").element("ows:Identifier", id)
                        .element("ows:Title", spec.input(id).map(InputSpec::title).orElse(id));
                if (v instanceof StoredInput.Literal l) {
                    x.start("wps:Data").element("wps:LiteralData", l.value()).end();
                } else if (v instanceof StoredInput.Document d) {
                    x.start("wps:Reference").attr("xlink:href", base + "/results/" + job.id() + "/inputs/"
                            + d.file()).attr("mimeType", d.mimeType()).end();
                } else if (v instanceof StoredInput.Reference r) {
                    // given by reference: the client's own URL, which the job fetched
                    x.start("wps:Reference").attr("xlink:href", r.href()).attr("mimeType", r.mimeType()).end();
                } else if (v instanceof StoredInput.Box b) {
                    x.start("wps:Data").start("wps:BoundingBoxData").attr("crs", b.crs()).attr("dimensions", 2)
                            .element("ows:LowerCorner", b.lower()[0] + " " + b.lower()[1])
                            .element("ows:UpperCorner", b.upper()[0] + " " + b.upper()[1])
                            .end().end();
                }
                x.end();
            }
        });
        x.end();
        x.start("wps:OutputDefinitions");
        for (ResponseOptions.Output o : definitions) {
            x.start("wps:Output").attr("asReference", Boolean.TRUE.equals(o.reference()))
                    .attr("mimeType", o.mediaType()).element("ows:Identifier", o.id()).end();
        }
        x.end();
    }

    private void outputs(XmlWriter x, Job job, ProcessSpec spec, List<ResponseOptions.Output> which)
            throws IOException {
        x.start("wps:ProcessOutputs");
        for (ResponseOptions.Output o : which) {
            String id = o.id();
            boolean ref = Boolean.TRUE.equals(o.reference());
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
                    x.cdata(new String(data, StandardCharsets.UTF_8));
                }
                x.end().end();
            }
            x.end();
        }
        x.end();
    }
}
