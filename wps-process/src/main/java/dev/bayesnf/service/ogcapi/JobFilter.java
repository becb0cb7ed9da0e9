package dev.bayesnf.service.ogcapi;

import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.JobStatus;
import dev.bayesnf.service.process.ProcessException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;

/** The job-list filters of OGC 18-062r2 §11 (job-list conformance class). */
record JobFilter(Set<String> processIds, Set<JobStatus> states, boolean anyType, Instant from,
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
