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
        // other models' ids are not listed: they are other users' business
        return models.get(id).orElseThrow(() -> ProcessException.invalid("model", "no stored model with id '" + id
                + "' (the id bayesnf:Fit returned; models of expired or dismissed fits are gone)"));
    }
}
