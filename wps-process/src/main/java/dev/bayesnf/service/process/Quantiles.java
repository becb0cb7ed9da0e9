package dev.bayesnf.service.process;

import java.util.List;

/** The {@code quantiles} input shared by the prediction processes. */
final class Quantiles {
    private Quantiles() {}

    static InputSpec spec() {
        return InputSpec.literal("quantiles", "string").title("Quantile levels").defaultValue("0.025,0.5,0.975")
                .describe("Levels strictly between 0 and 1, comma-separated").build();
    }

    static double[] levels(ProcessInputs in) {
        List<String> v = in.list("quantiles");
        double[] q = new double[v.size()];
        for (int i = 0; i < q.length; i++) {
            try {
                q[i] = Double.parseDouble(v.get(i));
            } catch (NumberFormatException e) {
                throw ProcessException.invalid("quantiles", "input 'quantiles': '" + v.get(i) + "' is not a number");
            }
            if (!(q[i] > 0 && q[i] < 1)) {
                throw ProcessException.invalid("quantiles", "input 'quantiles': " + v.get(i)
                        + " is not strictly between 0 and 1");
            }
        }
        if (q.length > 99) {
            throw ProcessException.invalid("quantiles", "input 'quantiles': at most 99 levels");
        }
        return q;
    }
}
