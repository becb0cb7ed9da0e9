package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Training statistics and model inputs (spec §2): time offset and scale, z-scoring of the listed
 * columns and of the target, the rows they are computed from, and the refusals that name the
 * column or the row.
 */
final class TrainingStatisticsTest {

    /** Four rows: numeric time t, features a (standardized), b (as is), c (standardized), target y. */
    private static DataTable fourRows() {
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("t", new double[] {3, 7, 5, 10});
        cols.put("a", new double[] {1, 2, 3, 4});
        cols.put("b", new double[] {-1, 0, 8, 2});
        cols.put("c", new double[] {10, 10, 20, 40});
        cols.put("y", new double[] {2, 4, 6, 8});
        return DataTable.ofNumbers("four", cols);
    }

    /** Standardizes c before a on purpose: the statistics must follow the order of the features. */
    private static ModelSpec fourRowSpec(TargetScaling scaling) {
        return new ModelSpec("y", "t", null, List.of("a", "b", "c"), List.of("c", "a"), List.of(), List.of(),
                List.of(), List.of(), 4, 1, ObservationModel.NORMAL, scaling);
    }

    private static ModelSpec spatialSpec(List<String> features, List<String> standardize, TargetScaling scaling) {
        return new ModelSpec("y", null, null, features, standardize, List.of(), List.of(), List.of(), List.of(), 4,
                1, ObservationModel.NORMAL, scaling);
    }

    private static ModelSpec calendarSpec(Frequency freq) {
        return new ModelSpec("y", "date", freq, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 4,
                1, ObservationModel.NORMAL, TargetScaling.NONE);
    }

    /** A table with a text time column "date" and target y = 1, 2, 3, ... */
    private static DataTable dated(String source, String... dates) {
        String[] y = new String[dates.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Integer.toString(i + 1);
        }
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("date", dates);
        cols.put("y", y);
        return new DataTable(source, 2, cols);
    }

    private static void assertMessageContains(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks <" + p + ">: " + e.getMessage());
        }
    }

    // ---- time ----------------------------------------------------------------------------------

    @Test
    void testNumericTimeMinimumAndScale() {
        TrainingStatistics h = TrainingStatistics.fit(fourRowSpec(TargetScaling.NONE), fourRows(), TrainingStatistics.allRows(4));
        assertEquals(3.0, h.timeMin(), 0, "minimum of t = {3, 7, 5, 10}");
        assertEquals(7.0, h.timeScale(), 0, "max - min of t = {3, 7, 5, 10}");
    }

    @Test
    void testCalendarTimeUsesPeriodIndices() {
        // daily: 2020-01-03 -> 2, 2020-01-10 -> 9, 2020-01-05 08:30 -> 4
        DataTable daily = dated("daily.csv", "2020-01-03", "2020-01-10", "2020-01-05T08:30");
        TrainingStatistics d = TrainingStatistics.fit(calendarSpec(Frequency.DAILY), daily, TrainingStatistics.allRows(3));
        assertEquals(2.0, d.timeMin(), 0, "daily minimum is the period index of 2020-01-03");
        assertEquals(7.0, d.timeScale(), 0, "daily scale is 9 - 2 periods");

        // monthly: 2019-11-15 -> -2, 2020-03-31 -> 2, 2020-01-01 -> 0 (period index, not days)
        DataTable monthly = dated("monthly.csv", "2019-11-15", "2020-03-31", "2020-01-01");
        TrainingStatistics m = TrainingStatistics.fit(calendarSpec(Frequency.MONTHLY), monthly, TrainingStatistics.allRows(3));
        assertEquals(-2.0, m.timeMin(), 0, "monthly minimum is the period index of November 2019");
        assertEquals(4.0, m.timeScale(), 0, "monthly scale is 2 - (-2) months");

        // weekly (W-SUN): Monday 2020-01-06 -> 1, Sunday 2020-01-26 -> 3, Monday 2020-02-03 -> 5
        DataTable weekly = dated("weekly.csv", "2020-01-26", "2020-01-06", "2020-02-03");
        TrainingStatistics w = TrainingStatistics.fit(calendarSpec(Frequency.WEEKLY), weekly, TrainingStatistics.allRows(3));
        assertEquals(1.0, w.timeMin(), 0, "weekly minimum");
        assertEquals(4.0, w.timeScale(), 0, "weekly scale is 5 - 1 weeks");
    }

    @Test
    void testRawTimeOfCalendarTimeConvertsOffsetsToUtc() {
        // 23:30 at UTC-2 on 2020-01-01 is 01:30 UTC on 2020-01-02: daily period 1, hourly period 25
        DataTable t = dated("zones.csv", "2020-01-01T23:30:00-02:00", " 2020-01-01 ");
        assertArrayEquals(new double[] {1, 0}, TrainingStatistics.rawTime(calendarSpec(Frequency.DAILY), t), 0,
                "daily period indices");
        assertArrayEquals(new double[] {25, 0}, TrainingStatistics.rawTime(calendarSpec(Frequency.HOURLY), t), 0,
                "hourly period indices");
    }

    @Test
    void testSingleTrainingTimeGivesScaleOne() {
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("t", new double[] {7, 7, 7});
        cols.put("a", new double[] {1, 2, 3});
        cols.put("y", new double[] {1, 2, 4});
        ModelSpec spec = new ModelSpec("y", "t", null, List.of("a"), List.of(), List.of(), List.of(), List.of(),
                List.of(), 4, 1, ObservationModel.NORMAL, TargetScaling.NONE);
        TrainingStatistics h = TrainingStatistics.fit(spec, DataTable.ofNumbers("same", cols), TrainingStatistics.allRows(3));
        assertEquals(7.0, h.timeMin(), 0, "minimum of a single time");
        assertEquals(1.0, h.timeScale(), 0, "a single time gives scale 1, not 0");

        // one training row among rows of other times: its time is the minimum, the scale is 1
        // (no standardized columns: one row has no spread to standardize with)
        ModelSpec plain = new ModelSpec("y", "t", null, List.of("a", "b"), List.of(), List.of(), List.of(),
                List.of(), List.of(), 4, 1, ObservationModel.NORMAL, TargetScaling.NONE);
        TrainingStatistics one = TrainingStatistics.fit(plain, fourRows(), new int[] {1});
        assertEquals(7.0, one.timeMin(), 0, "minimum of the one training row's time");
        assertEquals(1.0, one.timeScale(), 0, "one training row gives scale 1");

        DataTable sameDay = dated("same.csv", "2020-03-01", "2020-03-01T00:00");
        TrainingStatistics c = TrainingStatistics.fit(calendarSpec(Frequency.MONTHLY), sameDay, TrainingStatistics.allRows(2));
        assertEquals(2.0, c.timeMin(), 0, "March 2020 is monthly period 2");
        assertEquals(1.0, c.timeScale(), 0, "a single calendar period gives scale 1");
    }

    @Test
    void testNoTimeColumnGivesMinimumZeroAndScaleOne() {
        TrainingStatistics h = TrainingStatistics.fit(spatialSpec(List.of("a", "b"), List.of(), TargetScaling.NONE), fourRows(),
                TrainingStatistics.allRows(4));
        assertEquals(0.0, h.timeMin(), 0, "time minimum without time");
        assertEquals(1.0, h.timeScale(), 0, "time scale without time");
    }

    // ---- features ------------------------------------------------------------------------------

    @Test
    void testFeatureMeanAndPopulationStdOnlyForStandardizedColumns() {
        TrainingStatistics h = TrainingStatistics.fit(fourRowSpec(TargetScaling.NONE), fourRows(), TrainingStatistics.allRows(4));
        assertEquals(3, h.mean().length, "one mean per feature, time excluded");
        assertEquals(3, h.std().length, "one std per feature, time excluded");
        // a = {1, 2, 3, 4}: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, / 4 = 1.25
        assertEquals(2.5, h.mean()[0], 1e-12, "mean of a");
        assertEquals(Math.sqrt(1.25), h.std()[0], 1e-12, "population std of a (divides by n, not n - 1)");
        // b is not standardized
        assertEquals(0.0, h.mean()[1], 0, "mean of an unstandardized column");
        assertEquals(1.0, h.std()[1], 0, "std of an unstandardized column");
        // c = {10, 10, 20, 40}: mean 20, squared deviations 100 + 100 + 0 + 400 = 600, / 4 = 150
        assertEquals(20.0, h.mean()[2], 1e-12, "mean of c");
        assertEquals(Math.sqrt(150), h.std()[2], 1e-12, "population std of c");
    }

    @Test
    void testStatisticsUseOnlyTheGivenTrainingRows() {
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("t", new String[] {"4", "100", "6", "8"});
        cols.put("a", new String[] {"1", "1000", "3", "5"});
        cols.put("y", new String[] {"1", "NA", "2", "6"});
        DataTable t = new DataTable("partial.csv", 2, cols);
        ModelSpec spec = new ModelSpec("y", "t", null, List.of("a"), List.of("a"), List.of(), List.of(), List.of(),
                List.of(), 4, 1, ObservationModel.NORMAL, TargetScaling.STANDARD);
        TrainingStatistics h = TrainingStatistics.fit(spec, t, new int[] {0, 2, 3});
        assertEquals(4.0, h.timeMin(), 0, "time minimum of rows 0, 2, 3");
        assertEquals(4.0, h.timeScale(), 0, "time 100 of row 1 must not count");
        // a over rows 0, 2, 3 = {1, 3, 5}: mean 3, squared deviations 4 + 0 + 4 = 8
        assertEquals(3.0, h.mean()[0], 1e-12, "feature mean without row 1");
        assertEquals(Math.sqrt(8.0 / 3), h.std()[0], 1e-12, "feature std without row 1");
        // y over rows 0, 2, 3 = {1, 2, 6}: mean 3, squared deviations 4 + 1 + 9 = 14
        assertEquals(3.0, h.targetMean(), 1e-12, "target mean without the missing row");
        assertEquals(Math.sqrt(14.0 / 3), h.targetStd(), 1e-12, "target std without the missing row");
    }

    @Test
    void testZeroVarianceStandardizedColumnIsRefusedNamingIt() {
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("lat", new String[] {"1", "2", "3", "4"});
        cols.put("lon", new String[] {"3.25", "3.25", "3.25", "3.25"});
        cols.put("y", new String[] {"1", "2", "3", "5"});
        DataTable t = new DataTable("const.csv", 2, cols);
        DataException e = assertThrows(DataException.class, () -> TrainingStatistics.fit(
                spatialSpec(List.of("lat", "lon"), List.of("lat", "lon"), TargetScaling.NONE), t,
                TrainingStatistics.allRows(4)));
        assertMessageContains(e, "const.csv", "'lon'", "zero variance");

        // the same column is accepted when it is not standardized, and keeps mean 0 and std 1
        TrainingStatistics h = TrainingStatistics.fit(spatialSpec(List.of("lat", "lon"), List.of("lat"), TargetScaling.NONE), t,
                TrainingStatistics.allRows(4));
        assertEquals(0.0, h.mean()[1], 0, "unstandardized constant column mean");
        assertEquals(1.0, h.std()[1], 0, "unstandardized constant column std");
    }

    @Test
    void testColumnConstantOnlyInTheTrainingRowsIsRefused() {
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("a", new double[] {1, 2, 2, 2});
        cols.put("y", new double[] {1, 2, 3, 5});
        DataTable t = DataTable.ofNumbers("partly.csv", cols);
        ModelSpec spec = spatialSpec(List.of("a"), List.of("a"), TargetScaling.NONE);
        DataException e = assertThrows(DataException.class, () -> TrainingStatistics.fit(spec, t, new int[] {1, 2, 3}));
        assertMessageContains(e, "'a'", "zero variance");
        // over all rows it varies: a = {1, 2, 2, 2}, mean 1.75, squared deviations 0.5625 + 3 * 0.0625 = 0.75
        TrainingStatistics h = TrainingStatistics.fit(spec, t, TrainingStatistics.allRows(4));
        assertEquals(1.75, h.mean()[0], 1e-12, "mean over all rows");
        assertEquals(Math.sqrt(0.75 / 4), h.std()[0], 1e-12, "std over all rows");
    }

    @Test
    void testZeroVarianceIsJudgedRelativeToTheMean() {
        ModelSpec spec = spatialSpec(List.of("a"), List.of("a"), TargetScaling.NONE);
        // std 5e-11 around 1000 is below 1e-12 * 1000: numerically constant
        Map<String, double[]> big = new LinkedHashMap<>();
        big.put("a", new double[] {1000, 1000 + 1e-10});
        big.put("y", new double[] {1, 2});
        assertThrows(DataException.class, () -> TrainingStatistics.fit(spec, DataTable.ofNumbers("big", big),
                TrainingStatistics.allRows(2)), "a relative spread of 5e-14 must be refused");
        // std 5e-7 around 5e-7 is a real (small) spread
        Map<String, double[]> small = new LinkedHashMap<>();
        small.put("a", new double[] {0, 1e-6});
        small.put("y", new double[] {1, 2});
        TrainingStatistics h = TrainingStatistics.fit(spec, DataTable.ofNumbers("small", small), TrainingStatistics.allRows(2));
        assertEquals(5e-7, h.std()[0], 1e-18, "a small absolute spread is accepted");
    }

    // ---- target --------------------------------------------------------------------------------

    @Test
    void testTargetMeanAndStdUnderStandardScaling() {
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("a", new double[] {1, 2, 3, 4, 5, 6, 7, 8});
        cols.put("y", new double[] {2, 4, 4, 4, 5, 5, 7, 9});
        DataTable t = DataTable.ofNumbers("target", cols);
        // mean 40 / 8 = 5; squared deviations 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32, / 8 = 4
        TrainingStatistics s = TrainingStatistics.fit(spatialSpec(List.of("a"), List.of(), TargetScaling.STANDARD), t,
                TrainingStatistics.allRows(8));
        assertEquals(5.0, s.targetMean(), 1e-12, "target mean under STANDARD");
        assertEquals(2.0, s.targetStd(), 1e-12, "target population std under STANDARD");

        TrainingStatistics n = TrainingStatistics.fit(spatialSpec(List.of("a"), List.of(), TargetScaling.NONE), t,
                TrainingStatistics.allRows(8));
        assertEquals(0.0, n.targetMean(), 0, "target mean under NONE");
        assertEquals(1.0, n.targetStd(), 0, "target std under NONE");
        assertEquals(7.5, n.scaleTarget(7.5), 0, "NONE leaves the target as it is");
        assertEquals(7.5, n.unscaleTarget(7.5), 0, "NONE maps back to the same value");
    }

    @Test
    void testScaleAndUnscaleTargetRoundTrip() {
        TrainingStatistics h = new TrainingStatistics(0, 1, new double[0], new double[0], 5, 2);
        assertEquals(2.0, h.scaleTarget(9), 0, "(9 - 5) / 2");
        assertEquals(0.0, h.scaleTarget(5), 0, "the mean scales to 0");
        assertEquals(-1.5, h.scaleTarget(2), 0, "(2 - 5) / 2");
        assertEquals(2.0, h.unscaleTarget(-1.5), 0, "-1.5 * 2 + 5");
        assertEquals(5.0, h.unscaleTarget(0), 0, "0 maps back to the mean");
        TrainingStatistics odd = new TrainingStatistics(0, 1, new double[0], new double[0], -480.3, 366.7);
        for (double y : new double[] {-1e4, -480.3, 0, 0.1, 1234.5678, 9e6}) {
            assertEquals(y, odd.unscaleTarget(odd.scaleTarget(y)), 1e-9 * Math.max(1, Math.abs(y)),
                    "unscale(scale(y)) for y = " + y);
        }
        for (double v : new double[] {-3, -0.25, 0, 1, 42}) {
            assertEquals(v, odd.scaleTarget(odd.unscaleTarget(v)), 1e-12, "scale(unscale(v)) for v = " + v);
        }
    }

    @Test
    void testScaledTrainingTargetsHaveMeanZeroAndStdOne() {
        DataTable t = fourRows();
        TrainingStatistics h = TrainingStatistics.fit(fourRowSpec(TargetScaling.STANDARD), t, TrainingStatistics.allRows(4));
        // y = {2, 4, 6, 8}: mean 5, squared deviations 9 + 1 + 1 + 9 = 20, / 4 = 5
        assertEquals(5.0, h.targetMean(), 1e-12, "target mean");
        assertEquals(Math.sqrt(5), h.targetStd(), 1e-12, "target std");
        double[] y = t.numeric("y", false);
        double sum = 0;
        double sq = 0;
        for (double v : y) {
            sum += h.scaleTarget(v);
            sq += h.scaleTarget(v) * h.scaleTarget(v);
        }
        assertEquals(0.0, sum / y.length, 1e-12, "mean of the scaled targets");
        assertEquals(1.0, sq / y.length, 1e-12, "mean square of the scaled targets");
    }

    @Test
    void testConstantTargetIsRefusedUnderStandardScalingNamingIt() {
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("a", new String[] {"1", "2", "3"});
        cols.put("y", new String[] {"3.5", "3.5", "3.5"});
        DataTable t = new DataTable("flat.csv", 2, cols);
        DataException e = assertThrows(DataException.class, () -> TrainingStatistics.fit(
                spatialSpec(List.of("a"), List.of("a"), TargetScaling.STANDARD), t, TrainingStatistics.allRows(3)));
        assertMessageContains(e, "flat.csv", "target column 'y'", "constant");

        // NONE needs no target statistics, so a constant target is fine
        TrainingStatistics h = TrainingStatistics.fit(spatialSpec(List.of("a"), List.of("a"), TargetScaling.NONE), t,
                TrainingStatistics.allRows(3));
        assertEquals(1.0, h.targetStd(), 0, "target std under NONE");
    }

    @Test
    void testTargetConstantOnlyInTheTrainingRowsIsRefused() {
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("a", new double[] {1, 2, 3});
        cols.put("y", new double[] {9, 4, 4});
        DataTable t = DataTable.ofNumbers("part", cols);
        ModelSpec spec = spatialSpec(List.of("a"), List.of(), TargetScaling.STANDARD);
        DataException e = assertThrows(DataException.class, () -> TrainingStatistics.fit(spec, t, new int[] {1, 2}));
        assertMessageContains(e, "'y'", "constant");
    }

    // ---- inputs --------------------------------------------------------------------------------

    @Test
    void testInputsAreTimeOffsetThenStandardizedFeatures() {
        DataTable t = fourRows();
        ModelSpec spec = fourRowSpec(TargetScaling.NONE);
        TrainingStatistics h = TrainingStatistics.fit(spec, t, TrainingStatistics.allRows(4));
        float[][] x = h.inputs(spec, t, new int[] {2, 0});
        assertEquals(2, x.length, "one input row per requested row");
        assertEquals(4, x[0].length, "time + three features");
        double sa = Math.sqrt(1.25);
        double sc = Math.sqrt(150);
        // row 2: t 5, a 3, b 8, c 20
        assertEquals(2.0f, x[0][0], 0, "time offset 5 - 3 of row 2 comes first");
        assertEquals((float) ((3 - 2.5) / sa), x[0][1], 1e-6, "standardized a of row 2");
        assertEquals(8.0f, x[0][2], 0, "b of row 2 as it is");
        assertEquals(0.0f, x[0][3], 1e-6, "standardized c of row 2");
        // row 0: t 3, a 1, b -1, c 10
        assertEquals(0.0f, x[1][0], 0, "time offset of the earliest row");
        assertEquals((float) ((1 - 2.5) / sa), x[1][1], 1e-6, "standardized a of row 0");
        assertEquals(-1.0f, x[1][2], 0, "b of row 0 as it is");
        assertEquals((float) ((10 - 20) / sc), x[1][3], 1e-6, "standardized c of row 0");
    }

    @Test
    void testInputsUseTheHandlersStatisticsAndDoNotDivideTimeByItsScale() {
        Map<String, double[]> cols = new LinkedHashMap<>();
        cols.put("t", new double[] {100, 130});
        cols.put("a", new double[] {5, 9});
        cols.put("b", new double[] {0.5, -3});
        cols.put("y", new double[] {1, 2});
        DataTable t = DataTable.ofNumbers("given", cols);
        ModelSpec spec = new ModelSpec("y", "t", null, List.of("a", "b"), List.of("a"), List.of(), List.of(),
                List.of(), List.of(), 4, 1, ObservationModel.NORMAL, TargetScaling.NONE);
        TrainingStatistics h = new TrainingStatistics(100, 50, new double[] {1, 0}, new double[] {2, 1});
        float[][] x = h.inputs(spec, t, new int[] {1});
        assertArrayEquals(new float[] {30, 4, -3}, x[0], 0,
                "offset 130 - 100 (not divided by the scale 50), (9 - 1) / 2, -3 as it is");
        assertArrayEquals(new double[] {30}, h.timeOffsets(spec, t, new int[] {1}), 0, "time offsets");
    }

    @Test
    void testInputsWithoutTimeStartWithTheFirstFeature() {
        DataTable t = fourRows();
        ModelSpec spec = spatialSpec(List.of("b", "a"), List.of("a"), TargetScaling.NONE);
        TrainingStatistics h = TrainingStatistics.fit(spec, t, TrainingStatistics.allRows(4));
        float[][] x = h.inputs(spec, t, new int[] {3});
        assertEquals(2, x[0].length, "two features, no time");
        assertEquals(2.0f, x[0][0], 0, "b of row 3 first, as it is");
        assertEquals((float) ((4 - 2.5) / Math.sqrt(1.25)), x[0][1], 1e-6, "standardized a of row 3");
    }

    @Test
    void testCalendarTimeOffsetsArePeriodsFromTheTrainingMinimum() {
        DataTable t = dated("months.csv", "2020-02-10", "2019-12-31", "2020-07-01");
        ModelSpec spec = calendarSpec(Frequency.MONTHLY);
        TrainingStatistics h = TrainingStatistics.fit(spec, t, new int[] {0, 1});
        // Feb 2020 -> 1, Dec 2019 -> -1, Jul 2020 -> 6; minimum over rows 0, 1 is -1
        assertEquals(-1.0, h.timeMin(), 0, "monthly minimum");
        assertEquals(2.0, h.timeScale(), 0, "monthly scale");
        assertArrayEquals(new double[] {2, 0, 7}, h.timeOffsets(spec, t, TrainingStatistics.allRows(3)), 0,
                "offsets of every row, the later row included");
        float[][] x = h.inputs(spec, t, new int[] {2, 0});
        assertEquals(1, x[0].length, "time only");
        assertEquals(7.0f, x[0][0], 0, "July 2020 is 7 months after December 2019");
        assertEquals(2.0f, x[1][0], 0, "February 2020 is 2 months after December 2019");
    }

    // ---- malformed data ------------------------------------------------------------------------

    @Test
    void testMalformedCalendarTimeNamesTheRow() {
        DataTable t = dated("dates.csv", "2020-01-01", "2020-01-02", "yesterday");
        DataException e = assertThrows(DataException.class,
                () -> TrainingStatistics.fit(calendarSpec(Frequency.DAILY), t, TrainingStatistics.allRows(3)));
        assertMessageContains(e, "dates.csv: line 4", "'date'", "'yesterday'", "not a date");

        DataTable empty = dated("gap.csv", "2020-01-01", "", "2020-01-03");
        DataException g = assertThrows(DataException.class,
                () -> TrainingStatistics.rawTime(calendarSpec(Frequency.DAILY), empty));
        assertMessageContains(g, "gap.csv: line 3", "'date'");

        DataTable impossible = dated("feb.csv", "2020-02-30");
        DataException f = assertThrows(DataException.class,
                () -> TrainingStatistics.rawTime(calendarSpec(Frequency.DAILY), impossible));
        assertMessageContains(f, "feb.csv: line 2", "'2020-02-30'");
    }

    @Test
    void testMalformedNumericTimeNamesTheRow() {
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("t", new String[] {"1", "2", "x7"});
        cols.put("y", new String[] {"1", "2", "3"});
        DataTable t = new DataTable("num.csv", 2, cols);
        ModelSpec spec = new ModelSpec("y", "t", null, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), 4, 1, ObservationModel.NORMAL, TargetScaling.NONE);
        DataException e = assertThrows(DataException.class, () -> TrainingStatistics.fit(spec, t, new int[] {0, 1}));
        assertMessageContains(e, "num.csv: line 4", "'t'", "'x7'");
    }

    // ---- observed rows and helpers -------------------------------------------------------------

    @Test
    void testObservedRowsSkipMissingTargets() {
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("a", new String[] {"1", "2", "3", "4", "5", "6", "7", "8", "9"});
        cols.put("y", new String[] {"1", "", "NA", "2.5", "NaN", "null", "none", "0", " -3 "});
        DataTable t = new DataTable("gaps.csv", 2, cols);
        int[] rows = TrainingStatistics.observedRows(spatialSpec(List.of("a"), List.of(), TargetScaling.NONE), t);
        assertArrayEquals(new int[] {0, 3, 7, 8}, rows, "rows with a target value, 0 and negatives included");
    }

    @Test
    void testObservedRowsRefuseANonNumericTargetNamingTheRow() {
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("a", new String[] {"1", "2"});
        cols.put("y", new String[] {"1", "many"});
        DataTable t = new DataTable("words.csv", 2, cols);
        DataException e = assertThrows(DataException.class,
                () -> TrainingStatistics.observedRows(spatialSpec(List.of("a"), List.of(), TargetScaling.NONE), t));
        assertMessageContains(e, "words.csv: line 3", "'y'", "'many'");
    }

    @Test
    void testAllRows() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, TrainingStatistics.allRows(4), "0..n-1");
        assertEquals(0, TrainingStatistics.allRows(0).length, "no rows");
    }

    // ---- the record ----------------------------------------------------------------------------

    @Test
    void testConstructorRefusesNonPositiveOrNonFiniteTargetScale() {
        double[] none = new double[0];
        for (double bad : new double[] {0, -0.0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TrainingStatistics(0, 1, none, none, 0, bad), "target std " + bad);
            assertMessageContains(e, "positive and finite", String.valueOf(bad));
        }
        for (double bad : new double[] {Double.NaN, Double.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TrainingStatistics(0, 1, none, none, bad, 1), "target mean " + bad);
            assertMessageContains(e, "positive and finite");
        }
        TrainingStatistics tiny = new TrainingStatistics(0, 1, none, none, -3, Double.MIN_VALUE);
        assertEquals(Double.MIN_VALUE, tiny.targetStd(), 0, "any positive finite scale is accepted");
    }

    @Test
    void testFourArgumentConstructorLeavesTheTargetAsItIs() {
        TrainingStatistics h = new TrainingStatistics(2, 3, new double[] {1}, new double[] {4});
        assertEquals(0.0, h.targetMean(), 0, "target mean");
        assertEquals(1.0, h.targetStd(), 0, "target std");
        assertEquals(-12.25, h.scaleTarget(-12.25), 0, "scaleTarget is the identity");
        assertEquals(2.0, h.timeMin(), 0, "time minimum kept");
        assertEquals(3.0, h.timeScale(), 0, "time scale kept");
    }
}
