package dev.bayesnf.service.wps;

import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.InputValue;
import java.util.List;
import java.util.Map;

/**
 * A parsed WPS 1.0.0 Execute request (from KVP or XML).
 *
 * @param identifier process identifier
 * @param inputs input values by identifier (references already fetched)
 * @param raw the RawDataOutput, or null
 * @param document the ResponseDocument, or null (no ResponseForm: synchronous, outputs inline)
 * @param process the process named, when the parser knows the processes (else null)
 */
record ExecuteRequest(String identifier, Map<String, List<InputValue>> inputs, OutputRequest raw,
        ResponseDocument document, BayesProcess process) {

    /**
     * One requested output.
     *
     * @param id output identifier
     * @param mimeType requested media type or null
     * @param asReference whether to return a URL instead of the data
     */
    record OutputRequest(String id, String mimeType, boolean asReference) {}

    /** The ResponseDocument form. */
    record ResponseDocument(boolean store, boolean status, boolean lineage, List<OutputRequest> outputs) {}
}
