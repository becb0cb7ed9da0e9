package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parsed training data: each column parsed once, subsets carry the parsed numbers, messages name the line. */
final class TrainingSetTest {

    private static ModelSpec dailySpec() {
        return new ModelSpec("y", "date", Frequency.DAILY, List.of("a"), List.of(), List.of(), List.of(), List.of(),
                List.of(), 4, 1, ObservationModel.NORMAL, TargetScaling.NONE);
    }

    private static DataTable daily() {
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("date", new String[] {"2020-01-03", "2020-01-01", "2020-01-02", "2020-01-05"});
        cols.put("a", new String[] {"1", "2", "3", "4"});
        cols.put("y", new String[] {"5", "", "7", "NA"});
        return new DataTable("d.csv", 2, cols);
    }

    @Test
    void parsesEachColumnOnceAndAsTheTableDoes() {
        TrainingSet s = TrainingSet.of(dailySpec(), daily());
        assertSame(s.time(), s.time(), "the time column is parsed once");
        assertSame(s.column("a"), s.column("a"), "a feature column is parsed once");
        assertArrayEquals(TrainingStatistics.rawTime(dailySpec(), daily()), s.time(), 0);
        assertArrayEquals(new int[] {0, 2}, s.observedRows());
        assertArrayEquals(TrainingStatistics.observedRows(dailySpec(), daily()), s.observedRows());
        double[] y = s.target();
        assertEquals(5, y[0]);
        assertTrue(Double.isNaN(y[1]) && Double.isNaN(y[3]), "missing targets are NaN");
    }

    @Test
    void subsetCarriesTheParsedNumbersAndTheLines() {
        TrainingSet s = TrainingSet.of(dailySpec(), daily());
        s.time();
        TrainingSet sub = s.subset(new int[] {3, 0});
        assertArrayEquals(new double[] {s.time()[3], s.time()[0]}, sub.time(), 0);
        assertArrayEquals(new double[] {4, 1}, sub.column("a"), 0, "a column parsed after the cut");
        assertArrayEquals(new int[] {1}, sub.observedRows());
        assertEquals("d.csv: line 5", sub.table().where(0));
    }

    @Test
    void statisticsAndInputsAreThoseOfTheTable() {
        DataTable t = daily();
        ModelSpec spec = dailySpec();
        TrainingSet s = TrainingSet.of(spec, t);
        int[] rows = s.observedRows();
        TrainingStatistics a = TrainingStatistics.fit(spec, t, rows);
        TrainingStatistics b = TrainingStatistics.fit(s, rows);
        assertEquals(a.timeMin(), b.timeMin());
        assertEquals(a.timeScale(), b.timeScale());
        assertArrayEquals(a.inputs(spec, t, rows), b.inputs(s, rows));
        assertArrayEquals(a.timeOffsets(spec, t, rows), b.timeOffsets(s, rows), 0);
    }

    @Test
    void aBadTimeNamesItsLine() {
        Map<String, String[]> cols = new LinkedHashMap<>();
        cols.put("date", new String[] {"2020-01-03", "soon"});
        cols.put("a", new String[] {"1", "2"});
        cols.put("y", new String[] {"5", "6"});
        TrainingSet s = TrainingSet.of(dailySpec(), new DataTable("d.csv", 2, cols));
        DataException e = assertThrows(DataException.class, s::time);
        assertTrue(e.getMessage().startsWith("d.csv: line 3, column 'date': 'soon'"), e.getMessage());
    }
}
