package dev.bayesnf.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.DataException;
import dev.bayesnf.core.DataTable;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** The CSV reader: header checks that stay linear, the column limit, duplicate names. */
class CsvTablesTest {
    private static String header(int columns, String last) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < columns - 1; i++) {
            b.append('c').append(i).append(',');
        }
        return b.append(last).append('\n').toString();
    }

    @Test
    void wideHeaderAtTheLimitIsRead() {
        // 10,000 names: a quadratic check took seconds here, a set takes milliseconds
        String csv = header(CsvTables.MAX_COLUMNS, "v") + "1,".repeat(CsvTables.MAX_COLUMNS - 1) + "2\n";
        DataTable t = CsvTables.read(new StringReader(csv), "wide");
        assertEquals(1, t.rows());
        assertTrue(t.has("v"));
    }

    @Test
    void tooManyColumnsAreRefusedBeforeAnyRow() {
        DataException e = assertThrows(DataException.class, () -> CsvTables.read(new StringReader(
                header(1_000_000, "v")), "huge"));
        assertEquals("huge: line 1: 1000000 columns; at most 10000 are read", e.getMessage());
    }

    @Test
    void duplicateNameIsNamed() {
        DataException e = assertThrows(DataException.class, () -> CsvTables.read(new StringReader(
                header(5000, "c17") + "x\n"), "dup"));
        assertEquals("dup: line 1: column 'c17' appears twice", e.getMessage());
    }
}
