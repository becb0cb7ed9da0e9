package dev.bayesnf.service.jobs;

import dev.bayesnf.service.process.DataKind;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client asked of a job's results, one record for both front ends: which outputs, in which
 * media type, by value or by reference, and the response form (WPS lineage, OGC API raw or
 * document). Checked once, by {@link JobManager#submit}; stored with the job ({@link StoredRequest},
 * where each front end keeps its own key names) and read back when the job's documents are written.
 *
 * @param origin the front end that submitted the job, or none
 * @param lineage WPS {@code lineage=true}: the status document repeats the inputs and output definitions
 * @param raw OGC API {@code "response": "raw"} rather than {@code document}
 * @param outputs the outputs asked for, in request order; empty when the defaults are wanted
 */
public record ResponseOptions(Origin origin, boolean lineage, boolean raw, List<Output> outputs) {

    /** Jobs nothing asked anything of (the service's own, tests): every output, by default. */
    public static final ResponseOptions NONE = new ResponseOptions(Origin.NONE, false, false, List.of());
    /** The jobs the service runs by itself (the demo). */
    public static final ResponseOptions SERVICE = new ResponseOptions(Origin.SERVICE, false, false, List.of());

    /** Who submitted a job. */
    public enum Origin {
        /** No front end. */
        NONE,
        /** The service itself (stored as protocol {@code demo}). */
        SERVICE,
        /** WPS 1.0.0. */
        WPS,
        /** OGC API - Processes. */
        OGCAPI
    }

    /**
     * One requested output.
     *
     * @param id output id
     * @param mediaType requested media type, or null for the default
     * @param reference true for a link, false for the value, null when the request does not say
     *     (OGC API; WPS always says)
     */
    public record Output(String id, String mediaType, Boolean reference) {}

    public ResponseOptions {
        outputs = List.copyOf(outputs);
    }

    /**
     * The media type asked for per document output, each checked against the process: an output
     * it does not have, or a media type the output is not offered in, is refused (naming the
     * output). Literal outputs have no media type to ask for; one given is ignored.
     */
    public Map<String, String> formats(ProcessSpec spec) {
        Map<String, String> formats = new LinkedHashMap<>();
        for (Output o : outputs) {
            OutputSpec os = spec.output(o.id()).orElseThrow(() -> ProcessException.invalid(o.id(),
                    "process " + spec.id() + " has no output '" + o.id() + "'; outputs: "
                            + spec.outputs().stream().map(OutputSpec::id).toList()));
            if (o.mediaType() != null && os.kind() == DataKind.COMPLEX) {
                os.format(o.mediaType());
                formats.put(o.id(), o.mediaType());
            }
        }
        return formats;
    }

    /** A WPS 1.0.0 request's options. */
    public static ResponseOptions wps(boolean lineage, List<Output> outputs) {
        return new ResponseOptions(Origin.WPS, lineage, false, outputs);
    }

    /** An OGC API - Processes request's options. */
    public static ResponseOptions ogcApi(boolean raw, List<Output> outputs) {
        return new ResponseOptions(Origin.OGCAPI, false, raw, outputs);
    }
}
