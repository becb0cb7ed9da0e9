package dev.bayesnf.service.ogcapi;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ReferenceFetcher;
import java.nio.file.Path;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the OGC API - Processes execute body, against every
 * process's description: a body is accepted or refused with a {@link ProcessException} (a problem
 * document); any other exception is a finding. See {@code ExecuteParserFuzzTest} for the modes.
 */
class ExecuteBodyFuzzTest {
    private static final ServiceConfig CONFIG = ServiceConfig.defaults(Path.of("target", "fuzz-data"), 0);
    private static final List<BayesProcess> PROCESSES = BayesNFService.processes(CONFIG);
    private static final ReferenceFetcher FETCHER = new ReferenceFetcher(CONFIG.processLimits());

    /** The first byte picks the process, the rest is the body. */
    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "60m")
    void executeBody(byte[] data) {
        if (data.length == 0) {
            return;
        }
        BayesProcess p = PROCESSES.get((data[0] & 0xff) % PROCESSES.size());
        try {
            ExecuteBody.parse(java.util.Arrays.copyOfRange(data, 1, data.length), p.spec(), FETCHER);
        } catch (ProcessException e) {
            // refused with a problem document: fine
        }
    }
}
