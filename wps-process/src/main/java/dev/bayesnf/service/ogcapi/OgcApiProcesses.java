package dev.bayesnf.service.ogcapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bayesnf.service.http.Endpoint;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.JobManager;
import dev.bayesnf.service.jobs.JobStatus;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ReferenceFetcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * <p>This class routes the requests and runs execution; the documents are {@link ServiceDocuments}'s
 * (landing page, conformance, process list), {@link ProcessDescriptions}' and {@link
 * JobDocuments}' (statusInfo, job list), the results {@link JobResults}', the exceptions {@link
 * Problem}s.
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

    private final JobManager jobs;
    private final ReferenceFetcher fetcher;
    private final String base;
    private final String root;
    private final byte[] openApi;
    private final ServiceDocuments service;
    private final JobResults results;
    private final JobDocuments jobDocuments;

    public OgcApiProcesses(JobManager jobs, ReferenceFetcher fetcher) {
        this.jobs = jobs;
        this.fetcher = fetcher;
        this.base = jobs.config().baseUrl();
        this.root = base + MOUNT;
        this.openApi = bytes(OpenApiDocument.build(root, jobs.config().resultExpiry().toHours()));
        this.service = new ServiceDocuments(jobs, base, root);
        this.results = new JobResults(jobs, base);
        this.jobDocuments = new JobDocuments(jobs, root, results);
    }

    /** The absolute URL of the landing page. */
    public String root() {
        return root;
    }

    /** The absolute URL of a job's status. */
    public String jobUrl(String jobId) {
        return jobUrl(root, jobId);
    }

    /** The absolute URL of a job's status, under the landing page {@code root}. */
    static String jobUrl(String root, String jobId) {
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
            return json(200, service.landing());
        }
        switch (seg.get(0)) {
            case "conformance":
                if (n == 1) {
                    allow(method, "GET");
                    return json(200, ServiceDocuments.conformance());
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
                    return HttpReply.text(200, "text/html; charset=UTF-8", service.html());
                }
                break;
            case "processes":
                if (n == 1) {
                    allow(method, "GET");
                    return json(200, service.processList(kvp));
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
                    return json(200, jobDocuments.jobList(kvp));
                }
                if (n == 2) {
                    allow(method, "GET, DELETE");
                    if (method.equals("DELETE")) {
                        lookup(seg.get(1));
                        Job d = jobs.dismiss(seg.get(1)).orElseThrow(() -> Problem.noSuchJob(seg.get(1)));
                        return json(200, jobDocuments.statusInfo(d));
                    }
                    return json(200, jobDocuments.statusInfo(lookup(seg.get(1))));
                }
                if (n == 3 && seg.get(2).equals("results")) {
                    allow(method, "GET");
                    return results.jobResults(lookup(seg.get(1)));
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
            throw JobResults.jobError(done);
        }
        HttpReply reply = results.results(done, req.options());
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
        HttpReply r = json(201, jobDocuments.statusInfo(job)).withHeader("Location", jobUrl(job.id()));
        return preferenceApplied ? r.withHeader("Preference-Applied", "respond-async") : r;
    }

    // ---------------------------------------------------------------- JSON

    static HttpReply json(int status, JsonNode node) {
        return HttpReply.of(status, JSON_TYPE, bytes(node));
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
