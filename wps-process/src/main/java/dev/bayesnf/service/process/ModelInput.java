package dev.bayesnf.service.process;

import dev.bayesnf.core.BayesNFModel;

/** The {@code model} input shared by Forecast, Interpolate, Predict and Variogram. */
final class ModelInput {
    private ModelInput() {}

    static InputSpec spec() {
        return InputSpec.literal("model", "string").title("Model id")
                .describe("Id of a stored model, as returned by bayesnf:Fit").build();
    }

    static BayesNFModel load(ProcessInputs in, ModelStore models) {
        String id = in.text("model");
        return models.get(id).orElseThrow(() -> ProcessException.invalid("model", "no stored model with id '" + id
                + "'" + (models.ids().isEmpty() ? " (no models are stored yet; run bayesnf:Fit first)"
                        : "; stored: " + String.join(", ", models.ids().subList(Math.max(0, models.ids().size() - 10),
                                models.ids().size())))));
    }
}
