package dev.bayesnf.service.process;

import java.util.List;
import java.util.Map;

/**
 * {@code echo}: returns its input. The OGC test suites for WPS and OGC API - Processes execute an
 * echo process to test the protocol machinery without the model.
 */
public final class EchoProcess implements BayesProcess {
    public static final String ID = "echo";

    private final ProcessSpec spec = new ProcessSpec(ID, "Echo", "Returns the string it is given (for protocol tests).",
            "1.0.0",
            List.of(InputSpec.literal("value", "string").title("Value").describe("Any text").build(),
                    InputSpec.literal("pause", "integer").title("Pause").optional().unit("s").range(0, 60)
                            .describe("Seconds to wait before answering").build()),
            List.of(OutputSpec.literal("value", "Value", "The input, unchanged", "string")));

    @Override
    public ProcessSpec spec() {
        return spec;
    }

    @Override
    public Map<String, OutputValue> execute(ProcessInputs in, ProcessContext ctx) throws Exception {
        if (in.has("pause")) {
            long start = System.nanoTime();
            long span = in.integer("pause") * 1_000_000_000L;
            while (System.nanoTime() - start < span) {
                if (ctx.isCancelled()) {
                    throw new java.util.concurrent.CancellationException("the job was dismissed");
                }
                ctx.progress(100.0 * (System.nanoTime() - start) / span, "pausing");
                Thread.sleep(50);
            }
        }
        return Map.of("value", new OutputValue.Literal(in.text("value")));
    }
}
