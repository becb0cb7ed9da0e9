package dev.bayesnf.service.process;

import java.util.List;
import java.util.Optional;

/**
 * What a process is: identifier, title, abstract, version, inputs, outputs, and whether it may run
 * synchronously (short processes) or only asynchronously.
 */
public record ProcessSpec(String id, String title, String description, String version,
        List<InputSpec> inputs, List<OutputSpec> outputs) {

    public ProcessSpec {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<InputSpec> input(String inputId) {
        return inputs.stream().filter(i -> i.id().equals(inputId)).findFirst();
    }

    public Optional<OutputSpec> output(String outputId) {
        return outputs.stream().filter(o -> o.id().equals(outputId)).findFirst();
    }
}
