package dev.bayesnf.service.ogcapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.jobs.JobManager;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessSpec;
import java.util.List;

/**
 * The OGC API - Processes documents about the service: the landing page, the conformance
 * classes, the short HTML page of {@code /api.html} and the process list; and the paging
 * parameters ({@code limit}, {@code offset}) the lists share.
 */
final class ServiceDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobManager jobs;
    private final String base;
    private final String root;

    ServiceDocuments(JobManager jobs, String base, String root) {
        this.jobs = jobs;
        this.base = base;
        this.root = root;
    }

    ObjectNode landing() {
        ObjectNode o = JSON.createObjectNode();
        o.put("title", "BayesNF geospatial processing service");
        o.put("description", "OGC API - Processes for Bayesian neural field (BayesNF) fitting and prediction of"
                + " spatiotemporal observations with calibrated uncertainty. The same processes are offered"
                + " through WPS 1.0.0 at " + base + "/wps.");
        ArrayNode links = o.putArray("links");
        links.add(ProcessDescriptions.link(root, "self", OgcApiProcesses.JSON_TYPE, "This document"));
        links.add(ProcessDescriptions.link(root + "/api", "service-desc", OgcApiProcesses.OPENAPI_TYPE, "The API definition (OpenAPI 3.0)"));
        links.add(ProcessDescriptions.link(root + "/api.html", "service-doc", "text/html", "The API documentation"));
        links.add(ProcessDescriptions.link(root + "/conformance", OgcApiProcesses.REL + "conformance", OgcApiProcesses.JSON_TYPE,
                "Conformance classes implemented"));
        links.add(ProcessDescriptions.link(root + "/processes", OgcApiProcesses.REL + "processes", OgcApiProcesses.JSON_TYPE, "The processes"));
        links.add(ProcessDescriptions.link(root + "/jobs", OgcApiProcesses.REL + "job-list", OgcApiProcesses.JSON_TYPE, "The jobs"));
        return o;
    }

    static ObjectNode conformance() {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode a = o.putArray("conformsTo");
        OgcApiProcesses.CONFORMANCE.forEach(a::add);
        return o;
    }

    String html() {
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
            b.append("<li><a href=\"").append(escape(root + "/processes/" + OgcApiProcesses.encodeSegment(s.id()))).append("\">")
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

    ObjectNode processList(Kvp kvp) {
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
                "self", OgcApiProcesses.JSON_TYPE, "This document"));
        if (offset + limit < specs.size()) {
            links.add(ProcessDescriptions.link(root + "/processes?limit=" + limit + "&offset=" + (offset + limit),
                    "next", OgcApiProcesses.JSON_TYPE, "Next processes"));
        }
        return o;
    }

    static int limit(Kvp kvp) {
        String s = kvp.get("limit");
        if (s == null || s.isBlank()) {
            return OgcApiProcesses.DEFAULT_LIMIT;
        }
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw ProcessException.invalid("limit", "'limit' must be a whole number from 1 to " + OgcApiProcesses.MAX_LIMIT
                    + ", got '" + s + "'");
        }
        if (v < 1) {
            throw ProcessException.invalid("limit", "'limit' must be at least 1, got " + v);
        }
        return (int) Math.min(v, OgcApiProcesses.MAX_LIMIT);
    }

    static int offset(Kvp kvp) {
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
}
