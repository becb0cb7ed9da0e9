package dev.bayesnf.service.wms;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Matching of WMS {@code TIME} values (OGC 06-042 Annex D, ISO 8601) against a layer's time
 * step labels. Both sides are normalized first: ISO instants, offset or local date-times (taken
 * as UTC), dates, year-months and years become the instant they start at, so that
 * {@code 2024-01-01}, {@code 2024-01-01T00:00Z} and {@code 2024-01-01T00:00:00.000Z} are the same
 * step; numbers compare numerically; anything else compares as trimmed text.
 *
 * <p>Stateless and thread-safe.
 */
final class TimeValues {
    private TimeValues() {}

    /** The index of {@code requested} among {@code steps}, or -1. */
    static int indexOf(List<String> steps, String requested) {
        Object want = normalize(requested);
        for (int i = 0; i < steps.size(); i++) {
            if (want.equals(normalize(steps.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The first of {@code steps} inside {@code range} ("start/end" or "start/end/period", ends
     * included), or -1. QGIS's temporal controller asks for the range of the current frame.
     */
    static int firstIn(List<String> steps, String range) {
        String[] p = range.split("/", -1);
        if (p.length < 2 || p.length > 3) {
            return -1;
        }
        Object a = normalize(p[0]);
        Object b = normalize(p[1]);
        if (!(a instanceof Instant && b instanceof Instant)) {
            return -1;
        }
        for (int i = 0; i < steps.size(); i++) {
            Object t = normalize(steps.get(i));
            if (t instanceof Instant && !((Instant) t).isBefore((Instant) a) && !((Instant) t).isAfter((Instant) b)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether every label is an ISO 8601 date or date-time (then the units are "ISO8601"). */
    static boolean allIso(List<String> steps) {
        return steps.stream().allMatch(s -> normalize(s) instanceof Instant);
    }

    /** An {@link Instant}, a {@link Double} or the trimmed text. */
    static Object normalize(String s) {
        String t = s.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return YearMonth.parse(t).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        if (t.matches("\\d{4}")) {
            return Year.parse(t).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        try {
            double d = Double.parseDouble(t);
            return d == 0 ? 0.0 : d; // -0.0 equals 0.0
        } catch (NumberFormatException e) {
            return t;
        }
    }
}
