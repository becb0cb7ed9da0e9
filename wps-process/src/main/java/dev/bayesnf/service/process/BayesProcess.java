package dev.bayesnf.service.process;

import java.util.Map;

/**
 * A process of the service, described once ({@link #spec}) and exposed through WPS 1.0.0 and OGC
 * API - Processes. Implementations are stateless and thread-safe.
 */
public interface BayesProcess {

    ProcessSpec spec();

    /**
     * Checks the inputs and the service limits before the job is queued, so an oversize or
     * malformed request is refused at once. The default checks nothing beyond the spec.
     */
    default void validate(ProcessInputs inputs, ModelStore models) {}

    /**
     * Runs the process. Documents go into {@link ProcessContext#resultDir}.
     *
     * @return a value for every output of the spec
     * @throws ProcessException for a request that cannot be served, naming the input
     * @throws java.util.concurrent.CancellationException when the job was dismissed
     */
    Map<String, OutputValue> execute(ProcessInputs inputs, ProcessContext context) throws Exception;
}
