package dev.bayesnf.service.wps;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ReferenceFetcher;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing (Jazzer) of the WPS Execute parsers, XML and KVP: whatever the bytes,
 * the parser returns a request or refuses it with a {@link ProcessException} (an OGC exception
 * report for the client); any other exception is a finding. References are not fetched (no host
 * is allowed). Without {@code JAZZER_FUZZ} (CI) the committed inputs in
 * {@code src/test/resources/.../ExecuteParserFuzzTestInputs} run as regression tests; with
 * {@code JAZZER_FUZZ=1} one method at a time fuzzes (docs/SERVICE.md, "Fuzzing").
 */
class ExecuteParserFuzzTest {
    private static final ExecuteParser PARSER = new ExecuteParser(new ReferenceFetcher(
            ServiceConfig.defaults(Path.of("target", "fuzz-data"), 0).processLimits()));

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "60m")
    void executeXml(byte[] body) {
        try {
            PARSER.parseXml(body);
        } catch (ProcessException e) {
            // refused with a report: fine
        }
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "60m")
    void executeKvp(byte[] query) {
        try {
            // as the HTTP server hands the query on
            PARSER.parseKvp(Kvp.parseOrEmpty(new String(query, java.nio.charset.StandardCharsets.UTF_8)));
        } catch (ProcessException e) {
            // refused with a report: fine
        }
    }
}
