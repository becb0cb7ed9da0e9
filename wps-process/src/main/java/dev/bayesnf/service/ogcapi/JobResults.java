package dev.bayesnf.service.ogcapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.JobManager;
import dev.bayesnf.service.jobs.JobStatus;
import dev.bayesnf.service.jobs.ResponseOptions;
import dev.bayesnf.service.jobs.StoredOutput;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.ProcessSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The results of a job as its request asked ({@link ResponseOptions}): a results document, raw
 * bytes, links or multipart; and the exception of a job that has none (not ready, failed,
 * dismissed).
 */
final class JobResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobManager jobs;
    private final String base;

    JobResults(JobManager jobs, String base) {
        this.jobs = jobs;
        this.base = base;
    }

    /**
     * What the request of a job asked of its results; a job another front end (or nothing)
     * created, or whose request cannot be read, gets a results document of every output.
     */
    private static ResponseOptions options(Job job) {
        try {
            ResponseOptions o = job.responseOptions();
            return o.origin() == ResponseOptions.Origin.OGCAPI ? o : ResponseOptions.ogcApi(false, List.of());
        } catch (IOException e) {
            return ResponseOptions.ogcApi(false, List.of());
        }
    }

    HttpReply jobResults(Job job) throws IOException {
        switch (job.status()) {
            case ACCEPTED:
            case RUNNING:
                throw new Problem(404, Problem.RESULT_NOT_READY, "Result not ready", "job " + job.id() + " is "
                        + job.status().code() + " (" + job.progress() + "%); its results are not ready yet");
            case FAILED:
                throw jobError(job);
            case DISMISSED:
                throw new Problem(404, Problem.NO_SUCH_JOB, "No such job", "job " + job.id()
                        + " was dismissed; it has no results");
            default:
                return results(job, options(job));
        }
    }

    static Problem jobError(Job job) {
        if (job.status() == JobStatus.DISMISSED) {
            return new Problem(404, Problem.NO_SUCH_JOB, "No such job", "job " + job.id() + " was dismissed");
        }
        return Problem.ofJobError(job.errorCode(), job.errorLocator(), job.errorMessage());
    }

    /** One output to deliver. */
    private record Item(String id, StoredOutput stored, boolean reference, String dataType) {}

    private List<Item> items(Job job, ResponseOptions opt) {
        Optional<ProcessSpec> spec = jobs.process(job.process()).map(BayesProcess::spec);
        Map<String, StoredOutput> stored = new LinkedHashMap<>();
        job.outputs().forEach(o -> stored.put(o.id(), o));
        List<ResponseOptions.Output> wanted = opt.outputs();
        if (wanted.isEmpty()) {
            wanted = job.outputs().stream().map(o -> new ResponseOptions.Output(o.id(), null, null)).toList();
        }
        List<Item> items = new ArrayList<>();
        for (ResponseOptions.Output c : wanted) {
            StoredOutput s = stored.get(c.id());
            if (s == null) {
                continue;
            }
            boolean ref = s.file() != null && (c.reference() != null ? c.reference() : !opt.raw());
            String dataType = spec.flatMap(p -> p.output(c.id())).map(OutputSpec::dataType).orElse("string");
            items.add(new Item(c.id(), s, ref, dataType));
        }
        return items;
    }

    String resultsType(Job job) {
        ResponseOptions opt = options(job);
        if (!opt.raw()) {
            return OgcApiProcesses.JSON_TYPE;
        }
        List<Item> items = items(job, opt);
        if (items.size() == 1 && !items.get(0).reference()) {
            StoredOutput s = items.get(0).stored();
            return s.literal() != null ? "text/plain" : s.mimeType();
        }
        return items.stream().allMatch(Item::reference) ? null : "multipart/related";
    }

    private String href(Job job, StoredOutput s) {
        return base + "/results/" + job.id() + "/" + s.file();
    }

    /**
     * The results of a successful job as asked: {@code document} is a JSON object keyed by output
     * id ({@code {"value": ...}} or {@code {"href": ..., "type": ...}}); {@code raw} with one
     * output sent by value is that output's bytes with its media type; raw with every output by
     * reference is 204 with a {@code Link} header per output; otherwise multipart/related.
     */
    HttpReply results(Job job, ResponseOptions opt) throws IOException {
        List<Item> items = items(job, opt);
        if (!opt.raw()) {
            ObjectNode doc = JSON.createObjectNode();
            for (Item i : items) {
                doc.set(i.id(), resultValue(job, i));
            }
            return OgcApiProcesses.json(200, doc);
        }
        if (items.size() == 1 && !items.get(0).reference()) {
            StoredOutput s = items.get(0).stored();
            if (s.literal() != null) {
                return HttpReply.text(200, "text/plain; charset=UTF-8", s.literal());
            }
            Path f = file(job, s);
            return HttpReply.file(s.mimeType(), f, Map.of("Content-Disposition", "attachment; filename=\""
                    + f.getFileName() + "\""));
        }
        if (!items.isEmpty() && items.stream().allMatch(Item::reference)) {
            List<String> links = new ArrayList<>();
            for (Item i : items) {
                links.add("<" + href(job, i.stored()) + ">; rel=\"" + i.id() + "\"; type=\"" + i.stored().mimeType() + "\"");
            }
            return HttpReply.of(204, null, new byte[0]).withHeader("Link", String.join(", ", links));
        }
        String boundary = "bayesnf-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Item i : items) {
            StoredOutput s = i.stored();
            StringBuilder h = new StringBuilder("--").append(boundary).append("\r\nContent-ID: <").append(i.id())
                    .append(">\r\n");
            byte[] data;
            if (s.literal() != null) {
                h.append("Content-Type: text/plain; charset=UTF-8\r\n");
                data = s.literal().getBytes(StandardCharsets.UTF_8);
            } else if (i.reference()) {
                h.append("Content-Type: ").append(s.mimeType()).append("\r\nContent-Location: ").append(href(job, s))
                        .append("\r\n");
                data = new byte[0];
            } else {
                h.append("Content-Type: ").append(s.mimeType()).append("\r\n");
                if (s.binary()) {
                    h.append("Content-Transfer-Encoding: binary\r\n");
                }
                data = Files.readAllBytes(file(job, s));
            }
            h.append("\r\n");
            out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(data);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpReply.of(200, "multipart/related; boundary=" + boundary, out.toByteArray());
    }

    private JsonNode resultValue(Job job, Item i) throws IOException {
        StoredOutput s = i.stored();
        ObjectNode v = JSON.createObjectNode();
        if (s.literal() != null) {
            v.set("value", ProcessDescriptions.typed(i.dataType(), s.literal()));
            return v;
        }
        if (i.reference()) {
            v.put("href", href(job, s));
            v.put("type", s.mimeType());
            return v;
        }
        byte[] data = Files.readAllBytes(file(job, s));
        String mime = s.mimeType() == null ? "application/octet-stream" : s.mimeType();
        if (s.binary()) {
            v.put("value", Base64.getEncoder().encodeToString(data));
            v.put("mediaType", mime);
            v.put("encoding", "base64");
            return v;
        }
        String base = mime.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (base.equals("application/json") || base.endsWith("+json")) {
            try {
                v.set("value", JSON.readTree(data));
                v.put("mediaType", mime);
                return v;
            } catch (JsonProcessingException e) {
                // not parseable: sent as text below
            }
        }
        v.put("value", new String(data, StandardCharsets.UTF_8));
        v.put("mediaType", mime);
        return v;
    }

    private Path file(Job job, StoredOutput s) throws IOException {
        return jobs.storedFile(job, s);
    }
}
