package dev.bayesnf.cli;

/**
 * Accuracy of point and interval predictions on test rows (docs/BENCHMARKS.md): MAE and RMSE of
 * the mixture mean, the 95% interval score IS = (u - l) + (2/0.05)(l - y)[y &lt; l]
 * + (2/0.05)(y - u)[y &gt; u], and the share of rows with l ≤ y ≤ u.
 */
record Metrics(double mae, double rmse, double is95, double coverage95) {

    static Metrics of(double[] y, double[] mean, double[] lower, double[] upper) {
        int n = y.length;
        double ae = 0;
        double se = 0;
        double is = 0;
        int inside = 0;
        for (int i = 0; i < n; i++) {
            double err = y[i] - mean[i];
            ae += Math.abs(err);
            se += err * err;
            double l = lower[i];
            double u = upper[i];
            double s = u - l;
            if (y[i] < l) {
                s += 2 / 0.05 * (l - y[i]);
            }
            if (y[i] > u) {
                s += 2 / 0.05 * (y[i] - u);
            }
            is += s;
            if (y[i] >= l && y[i] <= u) {
                inside++;
            }
        }
        return new Metrics(ae / n, Math.sqrt(se / n), is / n, (double) inside / n);
    }
}
