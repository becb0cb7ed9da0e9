package dev.bayesnf.core;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Calendar frequencies of an index time column, with pandas {@code Period} semantics (spec §2.2):
 * a timestamp becomes the whole number of periods between its period and the period containing
 * 2020-01-01. {@code W} means pandas' {@code W-SUN}: weeks running Monday to Sunday.
 *
 * <p>Immutable and thread-safe.
 */
public enum Frequency {
    /** Hourly ("h"; pandas also accepts "H"). */
    HOURLY("h"),
    /** Daily ("D"). */
    DAILY("D"),
    /** Weekly, weeks ending Sunday ("W" = "W-SUN"). */
    WEEKLY("W"),
    /** Monthly ("M"). */
    MONTHLY("M"),
    /** Quarterly ("Q"). */
    QUARTERLY("Q"),
    /** Yearly ("Y"; also "A"). */
    YEARLY("Y");

    private static final LocalDate ORIGIN = LocalDate.of(2020, 1, 1);
    /** Monday of the W-SUN week containing 2020-01-01. */
    private static final LocalDate WEEK_ORIGIN = LocalDate.of(2019, 12, 30);

    private final String alias;

    Frequency(String alias) {
        this.alias = alias;
    }

    /** The pandas alias this project writes ("h", "D", "W", "M", "Q", "Y"). */
    public String alias() {
        return alias;
    }

    /** Parses a pandas-style alias; throws naming the value when it is not one of ours. */
    public static Frequency parse(String text) {
        String t = text == null ? "" : text.trim();
        switch (t) {
            case "h":
            case "H":
                return HOURLY;
            case "D":
            case "d":
                return DAILY;
            case "W":
            case "W-SUN":
            case "w":
                return WEEKLY;
            case "M":
            case "MS":
            case "ME":
            case "m":
                return MONTHLY;
            case "Q":
            case "QS":
            case "QE":
            case "q":
                return QUARTERLY;
            case "Y":
            case "YS":
            case "YE":
            case "A":
            case "y":
                return YEARLY;
            default:
                throw new IllegalArgumentException("unknown frequency '" + text
                        + "' (expected one of h, D, W, M, Q, Y)");
        }
    }

    /** Whether {@code text} names a frequency. */
    public static boolean isAlias(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Period index of a timestamp: periods between its period and the one containing 2020-01-01. */
    public long periodIndex(LocalDateTime t) {
        LocalDate d = t.toLocalDate();
        switch (this) {
            case HOURLY:
                return ChronoUnit.DAYS.between(ORIGIN, d) * 24 + t.getHour();
            case DAILY:
                return ChronoUnit.DAYS.between(ORIGIN, d);
            case WEEKLY:
                return Math.floorDiv(ChronoUnit.DAYS.between(WEEK_ORIGIN, d), 7);
            case MONTHLY:
                return 12L * (d.getYear() - 2020) + d.getMonthValue() - 1;
            case QUARTERLY:
                return 4L * (d.getYear() - 2020) + (d.getMonthValue() - 1) / 3;
            case YEARLY:
                return d.getYear() - 2020L;
            default:
                throw new AssertionError(this);
        }
    }

    /** The first instant of the period with the given index (inverse of {@link #periodIndex}). */
    public LocalDateTime periodStart(long index) {
        switch (this) {
            case HOURLY:
                return ORIGIN.atStartOfDay().plusHours(index);
            case DAILY:
                return ORIGIN.plusDays(index).atStartOfDay();
            case WEEKLY:
                return WEEK_ORIGIN.plusWeeks(index).atStartOfDay();
            case MONTHLY:
                return ORIGIN.plusMonths(index).atStartOfDay();
            case QUARTERLY:
                return ORIGIN.plusMonths(3 * index).atStartOfDay();
            case YEARLY:
                return ORIGIN.plusYears(index).atStartOfDay();
            default:
                throw new AssertionError(this);
        }
    }

    LocalDateTime startOfPeriodContaining(LocalDateTime t) {
        return periodStart(periodIndex(t));
    }

    /**
     * Length of the seasonal period {@code season} measured in periods of {@code this}
     * frequency, by the rule of the reference at HEAD (spec §2.5: year-start anchor): over the
     * years 2020-2024, the number of {@code this}-periods between the starts of the first and
     * last {@code season}-periods, divided by the number of {@code season}-periods. For example
     * {@code WEEKLY.seasonLength(MONTHLY)} = 209/48 = 4.354166…, {@code DAILY.seasonLength(YEARLY)}
     * = 365.25.
     *
     * @throws IllegalArgumentException when the season is shorter than one period of this frequency
     */
    public double seasonLength(Frequency season) {
        LocalDateTime firstSeason = season.startOfPeriodContaining(LocalDate.of(2020, 1, 1).atStartOfDay());
        LocalDateTime lastSeason = season.startOfPeriodContaining(LocalDate.of(2024, 1, 1).atStartOfDay());
        long ns = season.periodIndex(lastSeason) - season.periodIndex(firstSeason);
        long nf = periodIndex(lastSeason) - periodIndex(firstSeason);
        double v = (double) nf / ns;
        if (v < 1) {
            throw new IllegalArgumentException("seasonality period '" + season.alias
                    + "' is shorter than one time step of frequency '" + alias + "'");
        }
        return v;
    }

    /**
     * Parses a timestamp: ISO dates ({@code 2005-01-03}), date-times with 'T' or a space, with
     * optional seconds, fractions and zone offset (converted to UTC).
     *
     * @throws DateTimeParseException when the text is none of these
     */
    public static LocalDateTime parseTimestamp(String text) {
        String t = text.trim();
        if (t.length() == 10) {
            return LocalDate.parse(t).atStartOfDay();
        }
        String iso = t.replace(' ', 'T');
        if (iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:?\\d\\d$")) {
            return OffsetDateTime.parse(iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:\\d\\d$")
                    ? iso : iso.substring(0, iso.length() - 2) + ":" + iso.substring(iso.length() - 2))
                    .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        return LocalDateTime.parse(iso);
    }

    @Override
    public String toString() {
        return alias;
    }
}
