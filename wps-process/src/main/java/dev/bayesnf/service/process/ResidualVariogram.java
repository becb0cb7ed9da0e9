package dev.bayesnf.service.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.kriging.CovarianceModel;
import dev.bayesnf.core.kriging.EmpiricalVariogram;
import dev.bayesnf.core.kriging.ResidualKriging;
import dev.bayesnf.service.raster.PngEncoder;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fitted residual variogram of a model with residual kriging, for people and programs: the
 * empirical space-time semivariogram of its training residuals (the bins the model was fitted
 * to) and the fitted model's curve γ(h, u) for each time lag, as JSON, CSV (one row per empirical
 * bin or curve point) or a PNG plot (points and curves, one colour per time lag).
 *
 * <p>Semivariances are in the target's units squared (the kriging works on the scaled target; the
 * report multiplies by the target's training standard deviation squared), or unitless for
 * standardized anomalies (residuals divided by their place's residual scale), distances in the
 * model's distance unit (km for longitude/latitude, the CRS unit, metres for projected CRSs),
 * lags in time units (periods of the model's frequency).
 *
 * <p>Stateless and thread-safe.
 */
public final class ResidualVariogram {
    /** Curve points per time lag. */
    private static final int CURVE_POINTS = 60;
    /** At most this many time lags are drawn or listed as curves. */
    private static final int MAX_CURVES = 6;

    private ResidualVariogram() {}

    /** The model's residual kriging, if it has one. */
    public static Optional<ResidualKriging> of(BayesNFModel model) {
        return model.residualKriging();
    }

    /**
     * The factor from the kriging's units to the report's: the target's variance for residuals,
     * 1 for standardized anomalies (residuals divided by their place's scale, which are unitless).
     */
    private static double squaredUnit(BayesNFModel model, ResidualKriging rk) {
        return rk.scale().isPresent() ? 1 : model.stats().targetStd() * model.stats().targetStd();
    }

    private static String unit(BayesNFModel model, ResidualKriging rk) {
        return rk.scale().isPresent() ? "standardized anomaly (residual divided by its place's residual scale)"
                : model.spec().targetScaling().transforms() ? "(" + model.spec().targetScaling().id() + " of the target)"
                        + " units squared" : "target units squared";
    }

    /** The time lags drawn as curves: 0 and up to five more spread over the window. */
    static int[] curveLags(ResidualKriging rk) {
        int w = rk.empirical().map(EmpiricalVariogram::maxLag).orElse(rk.window());
        if (w == 0) {
            return new int[] {0};
        }
        List<Integer> lags = new ArrayList<>();
        for (int i = 0; i < MAX_CURVES; i++) {
            int u = (int) Math.round((double) w * i / (MAX_CURVES - 1) * i / (MAX_CURVES - 1));
            if (lags.isEmpty() || u > lags.get(lags.size() - 1)) {
                lags.add(u);
            }
        }
        if (!lags.contains(1) && w >= 1) {
            lags.add(1, 1);
        }
        return lags.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double maxDistance(ResidualKriging rk) {
        return rk.empirical().map(EmpiricalVariogram::cutoff).filter(c -> c > 0).orElse(1.0);
    }

    /** The report as a JSON document. */
    public static String json(BayesNFModel model, ResidualKriging rk) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        double s2 = squaredUnit(model, rk);
        root.put("target", model.spec().target());
        root.put("semivarianceUnit", unit(model, rk));
        root.put("distanceUnit", rk.metric().unit());
        root.put("timeUnit", model.spec().freq() != null ? model.spec().freq().alias()
                : model.spec().time() == null ? "none" : "time unit x " + rk.timeUnit());
        ObjectNode fitted = root.putObject("model");
        CovarianceModel cm = rk.model().scaled(s2);
        cm.parameters().forEach(fitted::put);
        fitted.put("description", cm.describe(rk.metric().unit()));
        root.put("calibration", rk.calibration());
        // residuals of the network's trend, or about the training mean when the fit's
        // cross-validation chose no trained trend (the kriging then predicts alone)
        root.put("trend", rk.constantTrend().isPresent() ? "constant" : "bayesnf");
        // predictions mix the hybrid with BayesNF alone, weight 1 - rho^p (docs/MODEL.md, "Fallback")
        rk.fallback().ifPresent(p -> root.put("fallbackPower", p));
        // simple kriging about mean 0, or ordinary kriging (the local level estimated)
        root.put("kriging", rk.ordinary() ? "ordinary" : "simple");
        root.put("neighbours", rk.neighbours());
        root.put("window", rk.window());
        root.put("residuals", rk.sites().size());
        ArrayNode emp = root.putArray("empirical");
        rk.empirical().ifPresent(ev -> {
            for (int i = 0; i < ev.size(); i++) {
                emp.addObject().put("distance", ev.distance()[i]).put("lag", ev.lag()[i]).put("pairs", ev.pairs()[i])
                        .put("semivariance", ev.gamma()[i] * s2);
            }
        });
        ArrayNode curve = root.putArray("fitted");
        double hmax = maxDistance(rk);
        for (int u : curveLags(rk)) {
            for (int j = 0; j <= CURVE_POINTS; j++) {
                double h = hmax * j / CURVE_POINTS;
                curve.addObject().put("distance", h).put("lag", u).put("semivariance", cm.semivariance(h, u));
            }
        }
        return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    /** The report as CSV: kind (empirical or fitted), lag, distance, pairs (empty for fitted), semivariance. */
    public static String csv(BayesNFModel model, ResidualKriging rk) {
        double s2 = squaredUnit(model, rk);
        StringBuilder b = new StringBuilder("kind,lag,distance,pairs,semivariance\n");
        rk.empirical().ifPresent(ev -> {
            for (int i = 0; i < ev.size(); i++) {
                b.append("empirical,").append((int) ev.lag()[i]).append(',').append(ev.distance()[i]).append(',')
                        .append(ev.pairs()[i]).append(',').append(ev.gamma()[i] * s2).append('\n');
            }
        });
        CovarianceModel cm = rk.model().scaled(s2);
        double hmax = maxDistance(rk);
        for (int u : curveLags(rk)) {
            for (int j = 0; j <= CURVE_POINTS; j++) {
                double h = hmax * j / CURVE_POINTS;
                b.append("fitted,").append(u).append(',').append(h).append(",,").append(cm.semivariance(h, u))
                        .append('\n');
            }
        }
        return b.toString();
    }

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf)};

    /**
     * The report as a PNG plot: semivariance against distance, empirical bins as dots (area
     * growing with the pair count) and the fitted curve as a line, one colour per time lag.
     */
    public static byte[] png(BayesNFModel model, ResidualKriging rk, int width, int height) {
        double s2 = squaredUnit(model, rk);
        CovarianceModel cm = rk.model().scaled(s2);
        int[] lags = curveLags(rk);
        double hmax = maxDistance(rk);
        double gmax = cm.sill();
        EmpiricalVariogram ev = rk.empirical().orElse(null);
        if (ev != null) {
            for (int i = 0; i < ev.size(); i++) {
                if (contains(lags, (int) ev.lag()[i])) {
                    gmax = Math.max(gmax, ev.gamma()[i] * s2);
                }
            }
        }
        gmax *= 1.08;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            boolean text = textWorks(g);
            FontMetrics fm = text ? g.getFontMetrics() : null;
            int left = text ? 64 : 12;
            int bottom = text ? 44 : 12;
            int top = text ? 30 : 12;
            int right = text ? 110 : 12;
            int pw = Math.max(10, width - left - right);
            int ph = Math.max(10, height - top - bottom);
            g.setColor(new Color(0xeeeeee));
            for (int k = 0; k <= 5; k++) {
                int y = top + ph - ph * k / 5;
                g.drawLine(left, y, left + pw, y);
                int x = left + pw * k / 5;
                g.drawLine(x, top, x, top + ph);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(left, top, pw, ph);
            for (int c = 0; c < lags.length; c++) {
                int u = lags[c];
                Color col = PALETTE[c % PALETTE.length];
                if (ev != null) {
                    long maxPairs = 1;
                    for (long p : ev.pairs()) {
                        maxPairs = Math.max(maxPairs, p);
                    }
                    for (int i = 0; i < ev.size(); i++) {
                        if ((int) ev.lag()[i] != u) {
                            continue;
                        }
                        int x = left + (int) Math.round(pw * ev.distance()[i] / hmax);
                        int y = top + ph - (int) Math.round(ph * ev.gamma()[i] * s2 / gmax);
                        int r = 2 + (int) Math.round(3 * Math.sqrt((double) ev.pairs()[i] / maxPairs));
                        g.setColor(col);
                        g.fillOval(x - r, y - r, 2 * r, 2 * r);
                    }
                }
                g.setColor(col);
                g.setStroke(new BasicStroke(1.8f));
                int px = -1;
                int py = -1;
                for (int j = 0; j <= CURVE_POINTS; j++) {
                    double h = hmax * j / CURVE_POINTS;
                    // the model's value just off the origin: γ jumps from 0 at (0, 0) to the nugget
                    double gam = cm.semivariance(u == 0 && j == 0 ? 1e-9 * hmax : h, u);
                    int x = left + (int) Math.round(pw * h / hmax);
                    int y = top + ph - (int) Math.round(ph * gam / gmax);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
                if (text) {
                    int ly = top + 14 + c * (fm.getHeight() + 2);
                    g.fillRect(left + pw + 10, ly - fm.getAscent() + 3, 12, 4);
                    g.setColor(Color.BLACK);
                    g.drawString("lag " + u, left + pw + 26, ly);
                }
            }
            if (text) {
                g.setColor(Color.BLACK);
                for (int k = 0; k <= 5; k++) {
                    String yl = num(gmax * k / 5);
                    g.drawString(yl, left - 6 - fm.stringWidth(yl), top + ph - ph * k / 5 + fm.getAscent() / 2);
                    String xl = num(hmax * k / 5);
                    g.drawString(xl, left + pw * k / 5 - fm.stringWidth(xl) / 2, top + ph + fm.getAscent() + 4);
                }
                String xt = "distance (" + rk.metric().unit() + ")";
                g.drawString(xt, left + (pw - fm.stringWidth(xt)) / 2, height - 8);
                String title = "residual semivariogram of " + model.spec().target() + ": "
                        + (ev == null ? "" : "points = empirical, ") + "lines = fitted " + cm.form();
                g.drawString(title, left, top - 10);
            }
        } finally {
            g.dispose();
        }
        int[] argb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        return PngEncoder.rgba(argb, width, height);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static String num(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1000 || a < 0.01 ? String.format(Locale.ROOT, "%.2g", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** Whether this JVM can draw text (headless JVMs without fonts cannot). */
    private static boolean textWorks(Graphics2D g) {
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            return g.getFontMetrics().getHeight() > 0;
        } catch (RuntimeException | Error e) {
            return false;
        }
    }
}
