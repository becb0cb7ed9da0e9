package dev.bayesnf.service.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Dialect detection on its edge cases. */
final class CsvDialectTest {
    @Test
    void plainCsvIsRfc4180() {
        byte[] b = "x,y,zinc\n181072,333611,1022\n181025,333558,1141.5\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(CsvDialect.RFC4180, CsvDialect.detect(b, CsvDialect.Forced.NONE));
    }

    @Test
    void spreadsheetExportIsSemicolonDecimalCommaWindows1252() {
        byte[] b = "x;y;zinc;soil\n181072;333611;1022,5;klei \u00e9\n".getBytes(java.nio.charset.Charset.forName("windows-1252"));
        CsvDialect d = CsvDialect.detect(b, CsvDialect.Forced.NONE);
        assertEquals(';', d.delimiter());
        assertEquals(',', d.decimal());
        assertEquals("windows-1252", d.charset().name());
        assertEquals("1234.5", d.normalizeNumber("1.234,5"));
        assertEquals("0.125", d.normalizeNumber("0,125"));
        // a leading zero group is not thousands grouping; text stays as it is
        assertEquals("0.125", d.normalizeNumber("0.125"));
        assertEquals("12.03.2020", d.normalizeNumber("12.03.2020"));
    }

    /** English thousands in a semicolon file are no evidence of a decimal comma. */
    @Test
    void thousandsCommasAreNotDecimalCommas() {
        byte[] b = "id;count\na;12,345\nb;1,000\n".getBytes(StandardCharsets.UTF_8);
        assertEquals('.', CsvDialect.detect(b, CsvDialect.Forced.NONE).decimal());
    }

    /** A UTF-8 character cut by the end of the sample does not make the file windows-1252. */
    @Test
    void aSampleEndingInsideACharacterIsStillUtf8() {
        byte[] line = "a,\u00fc\u00fc\u00fc\u00fc\u00fc\u00fc\n".getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[CsvDialect.SAMPLE_BYTES];
        for (int i = 0; i < b.length; i += line.length) {
            System.arraycopy(line, 0, b, i, Math.min(line.length, b.length - i));
        }
        // the sample ends inside a two-byte character: its lead byte last
        b[b.length - 2] = 'x';
        b[b.length - 1] = (byte) 0xC3;
        assertEquals(StandardCharsets.UTF_8, CsvDialect.detect(b, CsvDialect.Forced.NONE).charset());
    }
}
