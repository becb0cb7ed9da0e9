package dev.bayesnf.service.process;

import java.util.Locale;

/**
 * The {@code residualKriging} input: on Fit whether to fit BayesNF with residual kriging (default:
 * when the model has coordinate columns and the normal likelihood), on Forecast, Interpolate and
 * Predict whether to add a model's kriged residuals (default yes).
 */
final class ResidualKrigingInput {
    static final String ID = "residualKriging";

    private ResidualKrigingInput() {}

    /** The input of Forecast, Interpolate and Predict. */
    static InputSpec predictionSpec() {
        return InputSpec.literal(ID, "string").title("Residual kriging").defaultValue("yes").allowed("yes", "no")
                .describe("yes: add the model's kriged residuals (space-time simple kriging of its training"
                        + " residuals) when it has them; no: BayesNF alone").build();
    }

    /** The input of Fit. */
    static InputSpec fitSpec() {
        return InputSpec.literal(ID, "string").title("Residual kriging").optional().allowed("yes", "no")
                .describe("Krige the model's residuals in space and time on top of the neural field; the trend's"
                        + " epochs (up to 'epochs') and the kriging's calibration are chosen by location-wise"
                        + " cross-validation (default: yes when the model has coordinate columns and the normal"
                        + " likelihood)").build();
    }

    /** The value given, or {@code otherwise} when absent. */
    static boolean enabled(ProcessInputs in, boolean otherwise) {
        return in.optionalText(ID).map(v -> v.trim().toLowerCase(Locale.ROOT)).map(v -> {
            if (v.equals("yes")) {
                return true;
            }
            if (v.equals("no")) {
                return false;
            }
            throw ProcessException.invalid(ID, "input '" + ID + "' takes yes or no, got '" + v + "'");
        }).orElse(otherwise);
    }
}
