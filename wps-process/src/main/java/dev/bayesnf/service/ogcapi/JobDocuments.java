package dev.bayesnf.service.ogcapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.JobManager;
import dev.bayesnf.service.jobs.JobStatus;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The OGC API - Processes documents about jobs: a job's statusInfo and the job list (its
 * {@link JobFilter} filters, paging with {@code next} links).
 */
final class JobDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int JOB_SCAN_PAGE = 200;
    private static final int JOB_SCAN_MAX = 100_000;

    private final JobManager jobs;
    private final String root;
    private final JobResults results;

    JobDocuments(JobManager jobs, String root, JobResults results) {
        this.jobs = jobs;
        this.root = root;
        this.results = results;
    }

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
        String url = OgcApiProcesses.jobUrl(root, job.id());
        links.add(ProcessDescriptions.link(url, "self", OgcApiProcesses.JSON_TYPE, "Job status"));
        links.add(ProcessDescriptions.link(url, "monitor", OgcApiProcesses.JSON_TYPE, "Job status"));
        if (job.status() == JobStatus.SUCCESSFUL) {
            links.add(ProcessDescriptions.link(url + "/results", OgcApiProcesses.REL + "results", results.resultsType(job), "Job results"));
        }
        links.add(ProcessDescriptions.link(root + "/processes/" + OgcApiProcesses.encodeSegment(job.process()), "up", OgcApiProcesses.JSON_TYPE,
                "The process"));
        return o;
    }

    private static void putTime(ObjectNode o, String name, Instant t) {
        if (t != null) {
            o.put(name, t.truncatedTo(ChronoUnit.MILLIS).toString());
        }
    }

    ObjectNode jobList(Kvp kvp) throws SQLException {
        int limit = ServiceDocuments.limit(kvp);
        int offset = ServiceDocuments.offset(kvp);
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
                "self", OgcApiProcesses.JSON_TYPE, "This document"));
        if (more) {
            links.add(ProcessDescriptions.link(root + "/jobs?limit=" + limit + "&offset=" + (offset + limit) + q,
                    "next", OgcApiProcesses.JSON_TYPE, "Next jobs"));
        }
        return o;
    }
}
