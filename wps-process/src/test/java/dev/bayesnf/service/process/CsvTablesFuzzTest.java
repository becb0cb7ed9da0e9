package dev.bayesnf.service.process;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the data documents a Fit or Predict reads, CSV and GeoJSON
 * (the first byte picks which): a document is read or refused with a {@link ProcessException}
 * naming the input; any other exception is a finding. See {@code ExecuteParserFuzzTest} for the
 * modes.
 */
class CsvTablesFuzzTest {
    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "60m")
    void dataDocument(byte[] doc) {
        String mime = doc.length > 0 && (doc[0] & 1) == 1 ? "application/geo+json" : "text/csv";
        try {
            DataDocuments.table("data", new InputValue.Complex(doc, mime), 2_000_000);
        } catch (ProcessException e) {
            // refused, naming the input: fine
        }
    }
}
