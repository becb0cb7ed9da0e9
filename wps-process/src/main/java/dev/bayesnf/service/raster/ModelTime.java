package dev.bayesnf.service.raster;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.Frequency;
import dev.bayesnf.core.ModelSpec;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The time axis of a model in its own terms: raw times (period index for calendar time, else the
 * number), their text form (ISO 8601 dates, or date-times for hourly models; numbers), and the
 * training time range.
 *
 * <p>The last training time comes from the provenance ({@link dev.bayesnf.core.ModelProvenance#trainingTimeLast}).
 * Models saved before that key existed only have {@code timeMin} and {@code timeScale}, and
 * {@code timeScale} is 1 both for one training time and for two times one step apart; for those
 * the range is taken as {@code timeMin .. timeMin + timeScale} and {@link #lastKnown()} is false.
 *
 * <p>Immutable and thread-safe.
 */
final class ModelTime {
    private static final DateTimeFormatter HOURLY = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");

    private final String column;
    private final Frequency freq;
    private final double first;
    private final double last;
    private final boolean lastKnown;

    private ModelTime(String column, Frequency freq, double first, double last, boolean lastKnown) {
        this.column = column;
        this.freq = freq;
        this.first = first;
        this.last = last;
        this.lastKnown = lastKnown;
    }

    /** The time axis of {@code model}, or null for a purely spatial model. */
    static ModelTime of(BayesNFModel model) {
        ModelSpec spec = model.spec();
        if (spec.time() == null) {
            return null;
        }
        double first = model.stats().timeMin();
        double last = first + model.stats().timeScale();
        boolean known = false;
        // null when not recorded or unreadable: keep the range from the statistics
        Double recorded = model.provenanceRecord().trainingTimeLast();
        if (recorded != null && Double.isFinite(recorded) && recorded >= first) {
            last = recorded;
            known = true;
        }
        return new ModelTime(spec.time(), spec.freq(), first, last, known);
    }

    /** The first training time (raw). */
    double first() {
        return first;
    }

    /** The last training time (raw). */
    double last() {
        return last;
    }

    /** Whether the model file records its last training time exactly. */
    boolean lastKnown() {
        return lastKnown;
    }

    /** The time one step (period or unit) after the last training time. */
    double next() {
        return last + 1;
    }

    boolean calendar() {
        return freq != null;
    }

    /**
     * The raw time of {@code text}: an ISO 8601 date or date-time (UTC, or with a zone offset
     * converted to UTC) for calendar models, a number otherwise.
     *
     * @throws IllegalArgumentException naming the text when it cannot be read
     */
    double parse(String text) {
        String t = text.trim();
        if (freq != null) {
            try {
                LocalDateTime dt = Frequency.parseTimestamp(t);
                return freq.periodIndex(dt);
            } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("time '" + text + "' is not an ISO 8601 date or date-time"
                        + " (expected e.g. 1978-01-05, 1978-01-05T00:00 or 1978-01-05T00:00:00Z)", e);
            }
        }
        try {
            double v = Double.parseDouble(t);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("time '" + text + "' is not a number (the model's time column '"
                + column + "' is numeric)");
    }

    /**
     * The text form of a raw time: the start of the period as an ISO 8601 date (date-time in UTC
     * for hourly models), or the number (without ".0" when whole).
     */
    String label(double raw) {
        if (freq != null) {
            LocalDateTime start = freq.periodStart(Math.round(raw));
            return freq == Frequency.HOURLY ? HOURLY.format(start) : start.toLocalDate().toString();
        }
        if (raw == Math.rint(raw) && Math.abs(raw) < 1e15) {
            return Long.toString((long) raw);
        }
        return Double.toString(raw);
    }

    /** The training time range as text, e.g. "1961-01-01 .. 1978-12-31". */
    String range() {
        String r = label(first) + " .. " + label(last);
        return lastKnown ? r : r + " (the model file does not record its last training time exactly;"
                + " refit to record it)";
    }
}
