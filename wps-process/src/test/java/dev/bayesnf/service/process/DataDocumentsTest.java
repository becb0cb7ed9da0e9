package dev.bayesnf.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.DataTable;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Data documents: GeoJSON properties bounded like CSV columns, and read in linear time. */
class DataDocumentsTest {
    private static InputValue.Complex geoJson(int features, boolean distinctProperties) {
        StringBuilder b = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (int i = 0; i < features; i++) {
            b.append(i == 0 ? "" : ",").append("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[")
                    .append(i % 7).append(',').append(i % 11).append("]},\"properties\":{\"")
                    .append(distinctProperties ? "p" + i : "v").append("\":").append(i).append("}}");
        }
        return new InputValue.Complex(b.append("]}").toString().getBytes(StandardCharsets.UTF_8), "application/geo+json");
    }

    @Test
    void manyFeaturesWithOneProperty() {
        DataTable t = DataDocuments.table("data", geoJson(40_000, false), 2_000_000);
        assertEquals(40_000, t.rows());
        assertTrue(t.has("v"));
    }

    @Test
    void aPropertyPerFeatureIsRefusedAtTheColumnLimit() {
        // 40,000 features with a property each: a column per property for every feature ran out
        // of memory; now refused at the limit, naming the feature
        ProcessException e = assertThrows(ProcessException.class, () -> DataDocuments.table("data", geoJson(40_000,
                true), 2_000_000));
        assertEquals("data", e.locator());
        assertTrue(e.getMessage().contains("feature " + (CsvTables.MAX_COLUMNS - 1)), e.getMessage());
        assertTrue(e.getMessage().contains("at most " + CsvTables.MAX_COLUMNS + " columns"), e.getMessage());
    }
}
