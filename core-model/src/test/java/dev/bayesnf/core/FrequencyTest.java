package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** Calendar frequencies: season lengths (spec §2.5), period indexing (§2.2) and parsing. */
final class FrequencyTest {

    private static LocalDateTime day(int y, int m, int d) {
        return LocalDate.of(y, m, d).atStartOfDay();
    }

    @Test
    void testSeasonLengthTableMatchesReference() {
        // receiver = data frequency, argument = season
        assertEquals(365.25, Frequency.DAILY.seasonLength(Frequency.YEARLY), 1e-12);
        assertEquals(30.4375, Frequency.DAILY.seasonLength(Frequency.MONTHLY), 1e-12);
        assertEquals(7.0, Frequency.DAILY.seasonLength(Frequency.WEEKLY), 1e-12);
        assertEquals(209.0 / 48.0, Frequency.WEEKLY.seasonLength(Frequency.MONTHLY), 1e-12);
        assertEquals(52.25, Frequency.WEEKLY.seasonLength(Frequency.YEARLY), 1e-12);
        assertEquals(24.0, Frequency.HOURLY.seasonLength(Frequency.DAILY), 1e-12);
        assertEquals(168.0, Frequency.HOURLY.seasonLength(Frequency.WEEKLY), 1e-12);
        assertEquals(730.5, Frequency.HOURLY.seasonLength(Frequency.MONTHLY), 1e-12);
        assertEquals(12.0, Frequency.MONTHLY.seasonLength(Frequency.YEARLY), 1e-12);
        assertEquals(3.0, Frequency.MONTHLY.seasonLength(Frequency.QUARTERLY), 1e-12);
        assertEquals(4.0, Frequency.QUARTERLY.seasonLength(Frequency.YEARLY), 1e-12);
        assertEquals(1.0, Frequency.QUARTERLY.seasonLength(Frequency.QUARTERLY), 1e-12);
        assertEquals(1.0, Frequency.YEARLY.seasonLength(Frequency.YEARLY), 1e-12);
    }

    @Test
    void testSeasonShorterThanOneStepIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Frequency.WEEKLY.seasonLength(Frequency.DAILY));
        assertThrows(IllegalArgumentException.class, () -> Frequency.YEARLY.seasonLength(Frequency.MONTHLY));
        assertThrows(IllegalArgumentException.class, () -> Frequency.DAILY.seasonLength(Frequency.HOURLY));
    }

    @Test
    void testWeekIndexDifferenceIs470() {
        long a = Frequency.WEEKLY.periodIndex(day(2005, 1, 3));
        long b = Frequency.WEEKLY.periodIndex(day(2014, 1, 6));
        assertEquals(470, b - a);
    }

    @Test
    void testOriginHasIndexZeroForEveryFrequency() {
        for (Frequency f : Frequency.values()) {
            assertEquals(0, f.periodIndex(day(2020, 1, 1)), f.name());
        }
    }

    @Test
    void testMonthlyAndHourlyIndices() {
        assertEquals(14, Frequency.MONTHLY.periodIndex(LocalDateTime.of(2021, 3, 15, 0, 0)));
        assertEquals(29, Frequency.HOURLY.periodIndex(LocalDateTime.of(2020, 1, 2, 5, 30)));
        assertEquals(-1, Frequency.DAILY.periodIndex(day(2019, 12, 31)));
        assertEquals(5, Frequency.QUARTERLY.periodIndex(day(2021, 6, 30)));
        assertEquals(-3, Frequency.YEARLY.periodIndex(day(2017, 12, 31)));
    }

    @Test
    void testWeeksRunMondayToSunday() {
        assertEquals(0, Frequency.WEEKLY.periodIndex(day(2019, 12, 30))); // Monday
        assertEquals(0, Frequency.WEEKLY.periodIndex(day(2020, 1, 5))); // Sunday
        assertEquals(1, Frequency.WEEKLY.periodIndex(day(2020, 1, 6))); // next Monday
        assertEquals(-1, Frequency.WEEKLY.periodIndex(day(2019, 12, 29))); // previous Sunday
    }

    @Test
    void testPeriodStartInvertsPeriodIndex() {
        for (Frequency f : Frequency.values()) {
            for (long i = -30; i <= 30; i += 7) {
                assertEquals(i, f.periodIndex(f.periodStart(i)), f + " index " + i);
            }
        }
        assertEquals(day(2019, 12, 30), Frequency.WEEKLY.periodStart(0));
    }

    @Test
    void testParseUnknownAliasNamesTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Frequency.parse("x"));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void testParseKnownAliases() {
        assertEquals(Frequency.HOURLY, Frequency.parse("H"));
        assertEquals(Frequency.DAILY, Frequency.parse("D"));
        assertEquals(Frequency.WEEKLY, Frequency.parse("W-SUN"));
        assertEquals(Frequency.MONTHLY, Frequency.parse("MS"));
        assertEquals(Frequency.QUARTERLY, Frequency.parse("Q"));
        assertEquals(Frequency.YEARLY, Frequency.parse("A"));
        for (Frequency f : Frequency.values()) {
            assertEquals(f, Frequency.parse(f.alias()));
        }
    }

    @Test
    void testParseTimestampFormats() {
        assertEquals(day(2005, 1, 3), Frequency.parseTimestamp("2005-01-03"));
        LocalDateTime noon = LocalDateTime.of(2005, 1, 3, 12, 0);
        assertEquals(noon, Frequency.parseTimestamp("2005-01-03 12:00:00"));
        assertEquals(noon, Frequency.parseTimestamp("2005-01-03T12:00"));
        assertEquals(noon, Frequency.parseTimestamp("2005-01-03T12:00:00Z"));
        assertEquals(noon, Frequency.parseTimestamp("2005-01-03T14:00:00+02:00"));
        assertEquals(noon, Frequency.parseTimestamp("2005-01-03T17:30:00+0530"));
        assertEquals(noon, Frequency.parseTimestamp("2005-01-03 07:00:00-05:00"));
        assertEquals(LocalDateTime.of(2005, 1, 3, 12, 0, 30), Frequency.parseTimestamp(" 2005-01-03T12:00:30 "));
        assertThrows(java.time.format.DateTimeParseException.class, () -> Frequency.parseTimestamp("03/01/2005"));
    }
}
