package dev.bayesnf.service.process;

/**
 * The {@code lowerBound} input of Predict, Forecast and Interpolate: the least value the
 * quantity can take (0 for a concentration or a wind speed), so that no quantile falls below it
 * ({@link dev.bayesnf.core.BayesNFPredictor#withLowerBound}).
 */
final class LowerBound {
    static final String ID = "lowerBound";

    private LowerBound() {}

    static InputSpec spec() {
        return InputSpec.literal(ID, "double").title("Lower bound").optional()
                .describe("The least value the quantity can take, e.g. 0: the predictive distribution is"
                        + " censored there (quantiles below it are raised to it, the mean is the censored"
                        + " mean); normal likelihood only; default none").build();
    }

    /** The bound given, or NaN. */
    static double of(ProcessInputs in) {
        return in.has(ID) ? in.number(ID) : Double.NaN;
    }
}
