package dev.bayesnf.service.ogcapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.service.http.Endpoint;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.JobManager;
import dev.bayesnf.service.jobs.JobStatus;
import dev.bayesnf.service.jobs.ResponseOptions;
import dev.bayesnf.service.jobs.StoredOutput;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessSpec;
import dev.bayesnf.service.process.ReferenceFetcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OGC API - Processes - Part 1: Core 1.0 (OGC 18-062r2) over the {@link JobManager}, JSON only,
 * mounted at {@code /ogcapi}:
 *
 * <ul>
 *   <li>{@code GET /} landing page, {@code GET /conformance}, {@code GET /api} (OpenAPI 3.0),
 *       {@code GET /api.html} (a short human-readable page);
 *   <li>{@code GET /processes} ({@code limit}), {@code GET /processes/{id}} (OGC process
 *       description; ids such as {@code bayesnf:Fit} may be percent-encoded);
 *   <li>{@code POST /processes/{id}/execution}: synchronous unless the client sends {@code
 *       Prefer: respond-async}; {@code response} raw or document; outputs by value or reference;
 *   <li>{@code GET /jobs} (job list with {@code limit}, {@code processID}, {@code status}, {@code
 *       type}, {@code datetime}, {@code minDuration}, {@code maxDuration}), {@code GET
 *       /jobs/{id}} (statusInfo), {@code GET /jobs/{id}/results}, {@code DELETE /jobs/{id}}
 *       (dismiss).
 * </ul>
 *
 * <p>Every link is absolute, built from the configured public base URL. Errors are exception
 * documents ({@link Problem}) with the OGC exception type URIs where the standard defines one
 * ({@code no-such-process}, {@code no-such-job}, {@code result-not-ready}) and the OWS exception
 * code otherwise ({@code InvalidParameterValue} naming the input, {@code ServerBusy} 503, {@code
 * FileSizeExceeded} 413); never a stack trace.
 *
 * <p>Document outputs are linked to where the server serves them, {@code
 * <base>/results/<jobId>/<file>}. When an execute request does not choose a transmission mode,
 * literals are sent by value and documents by reference in results documents, by value in raw
 * responses.
 *
 * <p>Thread-safe: no state besides the job manager's.
 */
public final class OgcApiProcesses implements Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(OgcApiProcesses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Media type of every JSON answer, errors included. */
    public static final String JSON_TYPE = "application/json";
    static final String OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0";
    static final String REL = "http://www.opengis.net/def/rel/ogc/1.0/";
    static final String CONF = "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/";
    /** The conformance classes claimed: only what is implemented (no html, no callback). */
    public static final List<String> CONFORMANCE = List.of(CONF + "core", CONF + "ogc-process-description",
            CONF + "json", CONF + "job-list", CONF + "dismiss", CONF + "oas30");
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 10_000;
    /** Mount point under the base URL. */
    public static final String MOUNT = "/ogcapi";
    private static final int JOB_SCAN_PAGE = 200;
    private static final int JOB_SCAN_MAX = 100_000;

    private final JobManager jobs;
    private final ReferenceFetcher fetcher;
    private final String base;
    private final String root;
    private final byte[] openApi;

    public OgcApiProcesses(JobManager jobs, ReferenceFetcher fetcher) {
        this.jobs = jobs;
        this.fetcher = fetcher;
        this.base = jobs.config().baseUrl();
        this.root = base + MOUNT;
        this.openApi = bytes(OpenApiDocument.build(root, jobs.config().resultExpiry().toHours()));
    }

    /** The absolute URL of the landing page. */
    public String root() {
        return root;
    }

    /** The absolute URL of a job's status. */
    public String jobUrl(String jobId) {
        return root + "/jobs/" + jobId;
    }

    @Override
    public HttpReply handle(String method, String path, Kvp kvp, Function<String, String> headers, byte[] body) {
        String m = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        String p = path == null ? "" : path;
        try {
            return route(m.equals("HEAD") ? "GET" : m, p, kvp == null ? Kvp.parse(null) : kvp,
                    headers == null ? h -> null : headers, body == null ? new byte[0] : body);
        } catch (Problem e) {
            return e.reply();
        } catch (ProcessException e) {
            return Problem.of(e).reply();
        } catch (dev.bayesnf.service.jobs.DamagedResultException e) {
            return new Problem(500, ProcessException.Code.NO_APPLICABLE_CODE.owsCode(), "Damaged result", e.getMessage())
                    .reply();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return internal(m, p, e);
        } catch (RuntimeException | SQLException | IOException e) {
            return internal(m, p, e);
        }
    }

    @Override
    public HttpReply tooLarge(long limit) {
        return Problem.of(new ProcessException(ProcessException.Code.FILE_SIZE_EXCEEDED, "body",
                "the request body is larger than this service's limit of " + limit + " bytes")).reply();
    }

    private static HttpReply internal(String method, String path, Exception e) {
        String ref = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("OGC API request {} {} failed (ref {})", method, path, ref, e);
        return new Problem(500, ProcessException.Code.NO_APPLICABLE_CODE.owsCode(), "Internal error",
                "internal error (ref " + ref + "); see the service log").reply();
    }

    // ---------------------------------------------------------------- routing

    private HttpReply route(String method, String path, Kvp kvp, Function<String, String> headers, byte[] body)
            throws IOException, SQLException, InterruptedException {
        List<String> seg = segments(path);
        int n = seg.size();
        if (n == 0) {
            allow(method, "GET");
            return json(200, landing());
        }
        switch (seg.get(0)) {
            case "conformance":
                if (n == 1) {
                    allow(method, "GET");
                    return json(200, conformance());
                }
                break;
            case "api":
                if (n == 1) {
                    allow(method, "GET");
                    return HttpReply.of(200, OPENAPI_TYPE, openApi);
                }
                break;
            case "api.html":
                if (n == 1) {
                    allow(method, "GET");
                    return HttpReply.text(200, "text/html; charset=UTF-8", html());
                }
                break;
            case "processes":
                if (n == 1) {
                    allow(method, "GET");
                    return json(200, processList(kvp));
                }
                if (n == 2) {
                    allow(method, "GET");
                    return json(200, ProcessDescriptions.description(process(seg.get(1)).spec(), root));
                }
                if (n == 3 && seg.get(2).equals("execution")) {
                    allow(method, "POST");
                    return execute(seg.get(1), headers, body);
                }
                break;
            case "jobs":
                if (n == 1) {
                    allow(method, "GET");
                    return json(200, jobList(kvp));
                }
                if (n == 2) {
                    allow(method, "GET, DELETE");
                    if (method.equals("DELETE")) {
                        lookup(seg.get(1));
                        Job d = jobs.dismiss(seg.get(1)).orElseThrow(() -> Problem.noSuchJob(seg.get(1)));
                        return json(200, statusInfo(d));
                    }
                    return json(200, statusInfo(lookup(seg.get(1))));
                }
                if (n == 3 && seg.get(2).equals("results")) {
                    allow(method, "GET");
                    return jobResults(lookup(seg.get(1)));
                }
                break;
            default:
                break;
        }
        throw Problem.notFound(path);
    }

    private static void allow(String method, String allowed) {
        for (String a : allowed.split(",")) {
            if (a.trim().equals(method)) {
                return;
            }
        }
        throw Problem.methodNotAllowed(method, allowed + (allowed.contains("GET") ? ", HEAD" : ""));
    }

    /** Path segments, percent-decoded; a trailing slash is ignored. */
    static List<String> segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        List<String> seg = new ArrayList<>();
        if (p.isEmpty()) {
            return seg;
        }
        for (String s : p.split("/", -1)) {
            seg.add(percentDecode(s));
        }
        return seg;
    }

    /** Decodes %XX escapes (UTF-8); '+' stays '+' in paths; a malformed escape is kept as it is. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A path segment for a link: percent-encoded, but ':' (common in process ids) kept readable. */
    static String encodeSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    }

    private BayesProcess process(String id) {
        return jobs.process(id).orElseThrow(() -> Problem.noSuchProcess(id));
    }

    private Job lookup(String id) throws SQLException {
        if (!id.matches("[0-9a-f-]{36}")) {
            throw Problem.noSuchJob(id);
        }
        return jobs.job(id).orElseThrow(() -> Problem.noSuchJob(id));
    }

    // ---------------------------------------------------------------- capabilities

    private ObjectNode landing() {
        ObjectNode o = JSON.createObjectNode();
        o.put("title", "BayesNF geospatial processing service");
        o.put("description", "OGC API - Processes for Bayesian neural field (BayesNF) fitting and prediction of"
                + " spatiotemporal observations with calibrated uncertainty. The same processes are offered"
                + " through WPS 1.0.0 at " + base + "/wps.");
        ArrayNode links = o.putArray("links");
        links.add(ProcessDescriptions.link(root, "self", JSON_TYPE, "This document"));
        links.add(ProcessDescriptions.link(root + "/api", "service-desc", OPENAPI_TYPE, "The API definition (OpenAPI 3.0)"));
        links.add(ProcessDescriptions.link(root + "/api.html", "service-doc", "text/html", "The API documentation"));
        links.add(ProcessDescriptions.link(root + "/conformance", REL + "conformance", JSON_TYPE,
                "Conformance classes implemented"));
        links.add(ProcessDescriptions.link(root + "/processes", REL + "processes", JSON_TYPE, "The processes"));
        links.add(ProcessDescriptions.link(root + "/jobs", REL + "job-list", JSON_TYPE, "The jobs"));
        return o;
    }

    private static ObjectNode conformance() {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode a = o.putArray("conformsTo");
        CONFORMANCE.forEach(a::add);
        return o;
    }

    private String html() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>BayesNF OGC API - Processes"
                + "</title></head><body>\n<h1>BayesNF OGC API - Processes</h1>\n<p>OGC API - Processes - Part 1: Core 1.0,"
                + " JSON encoding. Machine-readable definition: <a href=\"").append(escape(root + "/api"))
                .append("\">OpenAPI 3.0</a>.</p>\n<ul>\n");
        String[][] rows = {{"", "Landing page"}, {"/conformance", "Conformance classes"}, {"/processes", "Processes"},
            {"/jobs", "Jobs"}};
        for (String[] r : rows) {
            b.append("<li><a href=\"").append(escape(root + r[0])).append("\">").append(r[1]).append("</a></li>\n");
        }
        b.append("</ul>\n<h2>Processes</h2>\n<ul>\n");
        for (BayesProcess p : jobs.processes().values()) {
            ProcessSpec s = p.spec();
            b.append("<li><a href=\"").append(escape(root + "/processes/" + encodeSegment(s.id()))).append("\">")
                    .append(escape(s.id())).append("</a>: ").append(escape(s.title())).append("</li>\n");
        }
        b.append("</ul>\n<p>Execute with <code>POST /processes/{id}/execution</code>; add <code>Prefer:"
                + " respond-async</code> for a job to poll at <code>/jobs/{jobId}</code>.</p>\n</body></html>\n");
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---------------------------------------------------------------- processes

    private ObjectNode processList(Kvp kvp) {
        int limit = limit(kvp);
        int offset = offset(kvp);
        List<ProcessSpec> specs = jobs.processes().values().stream().map(BayesProcess::spec).toList();
        ObjectNode o = JSON.createObjectNode();
        ArrayNode list = o.putArray("processes");
        for (int i = offset; i < Math.min(specs.size(), offset + limit); i++) {
            list.add(ProcessDescriptions.summary(specs.get(i), root));
        }
        ArrayNode links = o.putArray("links");
        links.add(ProcessDescriptions.link(root + "/processes?limit=" + limit + (offset > 0 ? "&offset=" + offset : ""),
                "self", JSON_TYPE, "This document"));
        if (offset + limit < specs.size()) {
            links.add(ProcessDescriptions.link(root + "/processes?limit=" + limit + "&offset=" + (offset + limit),
                    "next", JSON_TYPE, "Next processes"));
        }
        return o;
    }

    static int limit(Kvp kvp) {
        String s = kvp.get("limit");
        if (s == null || s.isBlank()) {
            return DEFAULT_LIMIT;
        }
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw ProcessException.invalid("limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT
                    + ", got '" + s + "'");
        }
        if (v < 1) {
            throw ProcessException.invalid("limit", "'limit' must be at least 1, got " + v);
        }
        return (int) Math.min(v, MAX_LIMIT);
    }

    private static int offset(Kvp kvp) {
        String s = kvp.get("offset");
        if (s == null || s.isBlank()) {
            return 0;
        }
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ProcessException.invalid("offset", "'offset' must be a whole number, 0 or more, got '" + s + "'");
    }

    // ---------------------------------------------------------------- execution

    private HttpReply execute(String processId, Function<String, String> headers, byte[] body)
            throws IOException, SQLException, InterruptedException {
        BayesProcess proc = process(processId);
        ExecuteBody req = ExecuteBody.parse(body, proc.spec(), fetcher);
        boolean async = prefersAsync(headers.apply("Prefer"));
        Job job = jobs.submit(proc, req.inputs(), req.options());
        if (async) {
            return created(job, true);
        }
        Job done = jobs.await(job.id(), jobs.config().syncTimeout());
        if (!done.status().finished()) {
            // The synchronous wait ran out: the job goes on, and the client is answered as if it
            // had asked for asynchronous execution (201 Created, Location, statusInfo). There is
            // no Preference-Applied header because the client stated no preference.
            return created(done, false);
        }
        if (done.status() != JobStatus.SUCCESSFUL) {
            throw jobError(done);
        }
        HttpReply reply = results(done, req.options());
        // the job created for this synchronous execution stays visible in the job list
        String monitor = "<" + jobUrl(done.id()) + ">; rel=monitor";
        String link = reply.headers().get("Link");
        return reply.withHeader("Link", link == null ? monitor : link + ", " + monitor);
    }

    /** Whether a {@code Prefer} header (RFC 7240) asks for {@code respond-async}. */
    static boolean prefersAsync(String prefer) {
        if (prefer == null) {
            return false;
        }
        for (String p : prefer.split(",")) {
            String name = p.split("[;=]", 2)[0].trim();
            if (name.equalsIgnoreCase("respond-async")) {
                return true;
            }
        }
        return false;
    }

    private HttpReply created(Job job, boolean preferenceApplied) {
        HttpReply r = json(201, statusInfo(job)).withHeader("Location", jobUrl(job.id()));
        return preferenceApplied ? r.withHeader("Preference-Applied", "respond-async") : r;
    }

    // ---------------------------------------------------------------- jobs

    /** The statusInfo document of a job ({@code statusInfo.yaml}). */
    ObjectNode statusInfo(Job job) {
        ObjectNode o = JSON.createObjectNode();
        o.put("jobID", job.id());
        o.put("processID", job.process());
        o.put("type", "process");
        o.put("status", job.status().code());
        String message = job.status() == JobStatus.FAILED && job.errorMessage() != null ? job.errorMessage()
                : job.message();
        if (message != null) {
            o.put("message", message);
        }
        putTime(o, "created", job.created());
        putTime(o, "started", job.started());
        putTime(o, "finished", job.finished());
        putTime(o, "updated", job.updated());
        o.put("progress", Math.max(0, Math.min(100, job.progress())));
        ArrayNode links = o.putArray("links");
        String url = jobUrl(job.id());
        links.add(ProcessDescriptions.link(url, "self", JSON_TYPE, "Job status"));
        links.add(ProcessDescriptions.link(url, "monitor", JSON_TYPE, "Job status"));
        if (job.status() == JobStatus.SUCCESSFUL) {
            links.add(ProcessDescriptions.link(url + "/results", REL + "results", resultsType(job), "Job results"));
        }
        links.add(ProcessDescriptions.link(root + "/processes/" + encodeSegment(job.process()), "up", JSON_TYPE,
                "The process"));
        return o;
    }

    private static void putTime(ObjectNode o, String name, Instant t) {
        if (t != null) {
            o.put(name, t.truncatedTo(ChronoUnit.MILLIS).toString());
        }
    }

    private ObjectNode jobList(Kvp kvp) throws SQLException {
        int limit = limit(kvp);
        int offset = offset(kvp);
        JobFilter filter = JobFilter.of(kvp);
        List<Job> page = new ArrayList<>();
        int matched = 0;
        boolean more = false;
        scan:
        for (int from = 0; from < JOB_SCAN_MAX; from += JOB_SCAN_PAGE) {
            List<Job> batch = jobs.jobs(from, JOB_SCAN_PAGE);
            for (Job j : batch) {
                if (!filter.test(j, Instant.now())) {
                    continue;
                }
                if (matched >= offset + limit) {
                    more = true;
                    break scan;
                }
                if (matched >= offset) {
                    page.add(j);
                }
                matched++;
            }
            if (batch.size() < JOB_SCAN_PAGE) {
                break;
            }
        }
        ObjectNode o = JSON.createObjectNode();
        ArrayNode list = o.putArray("jobs");
        page.forEach(j -> list.add(statusInfo(j)));
        ArrayNode links = o.putArray("links");
        String q = filter.query();
        links.add(ProcessDescriptions.link(root + "/jobs?limit=" + limit + (offset > 0 ? "&offset=" + offset : "") + q,
                "self", JSON_TYPE, "This document"));
        if (more) {
            links.add(ProcessDescriptions.link(root + "/jobs?limit=" + limit + "&offset=" + (offset + limit) + q,
                    "next", JSON_TYPE, "Next jobs"));
        }
        return o;
    }

    /** The job-list filters of OGC 18-062r2 §11 (job-list conformance class). */
    private record JobFilter(Set<String> processIds, Set<JobStatus> states, boolean anyType, Instant from,
            Instant to, Double minSeconds, Double maxSeconds, String query) {

        static JobFilter of(Kvp kvp) {
            StringBuilder q = new StringBuilder();
            Set<String> ids = list(kvp, "processID", q);
            Set<JobStatus> states = new LinkedHashSet<>();
            for (String s : list(kvp, "status", q)) {
                try {
                    states.add(JobStatus.ofCode(s));
                } catch (IllegalArgumentException e) {
                    throw ProcessException.invalid("status", "unknown job status '" + s
                            + "'; accepted, running, successful, failed or dismissed");
                }
            }
            Set<String> types = list(kvp, "type", q);
            boolean anyType = types.isEmpty() || types.contains("process");
            Instant from = null;
            Instant to = null;
            String dt = kvp.get("datetime");
            if (dt != null && !dt.isBlank()) {
                append(q, "datetime", dt);
                String[] parts = dt.split("/", -1);
                if (parts.length > 2) {
                    throw ProcessException.invalid("datetime", "'datetime' must be an instant or an interval"
                            + " start/end, got '" + dt + "'");
                }
                from = instant(parts[0]);
                to = parts.length == 2 ? instant(parts[1]) : from;
            }
            return new JobFilter(ids, states, anyType, from, to, seconds(kvp, "minDuration", q),
                    seconds(kvp, "maxDuration", q), q.toString());
        }

        private static Set<String> list(Kvp kvp, String name, StringBuilder q) {
            Set<String> s = new LinkedHashSet<>();
            String v = kvp.get(name);
            if (v != null && !v.isBlank()) {
                append(q, name, v);
                for (String p : v.split(",")) {
                    if (!p.isBlank()) {
                        s.add(p.trim());
                    }
                }
            }
            return s;
        }

        private static void append(StringBuilder q, String name, String value) {
            q.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }

        private static Instant instant(String s) {
            String t = s.trim();
            if (t.isEmpty() || t.equals("..")) {
                return null;
            }
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e) {
                throw ProcessException.invalid("datetime", "'" + t + "' is not an RFC 3339 date-time");
            }
        }

        private static Double seconds(Kvp kvp, String name, StringBuilder q) {
            String v = kvp.get(name);
            if (v == null || v.isBlank()) {
                return null;
            }
            append(q, name, v);
            try {
                double d = Double.parseDouble(v.trim());
                if (d >= 0 && Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw ProcessException.invalid(name, "'" + name + "' must be a number of seconds, got '" + v + "'");
        }

        boolean test(Job j, Instant now) {
            if (!anyType || (!processIds.isEmpty() && !processIds.contains(j.process()))
                    || (!states.isEmpty() && !states.contains(j.status()))) {
                return false;
            }
            if ((from != null && j.created().isBefore(from)) || (to != null && j.created().isAfter(to))) {
                return false;
            }
            if (minSeconds != null || maxSeconds != null) {
                double d = j.started() == null ? 0
                        : Duration.between(j.started(), j.finished() != null ? j.finished() : now).toMillis() / 1000.0;
                return (minSeconds == null || d >= minSeconds) && (maxSeconds == null || d <= maxSeconds);
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- results

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

    private HttpReply jobResults(Job job) throws IOException {
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

    private static Problem jobError(Job job) {
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

    private String resultsType(Job job) {
        ResponseOptions opt = options(job);
        if (!opt.raw()) {
            return JSON_TYPE;
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
    private HttpReply results(Job job, ResponseOptions opt) throws IOException {
        List<Item> items = items(job, opt);
        if (!opt.raw()) {
            ObjectNode doc = JSON.createObjectNode();
            for (Item i : items) {
                doc.set(i.id(), resultValue(job, i));
            }
            return json(200, doc);
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

    // ---------------------------------------------------------------- JSON

    private static HttpReply json(int status, JsonNode node) {
        return HttpReply.of(status, JSON_TYPE, bytes(node));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
