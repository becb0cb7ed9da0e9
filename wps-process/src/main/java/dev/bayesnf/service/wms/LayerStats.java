package dev.bayesnf.service.wms;

import dev.bayesnf.service.raster.RasterProduct;
import java.util.Locale;

/**
 * What the WMS derives once per published raster: the quantile pair of the uncertainty style
 * and the value range of each style over all time steps (the colour ramp is stretched over that
 * range, so that every step of a layer shares one legend).
 *
 * <p>Immutable and thread-safe.
 */
final class LayerStats {
    /** Index (into the quantile levels) of the lower and upper bound of the interval, or -1. */
    final int lower;
    final int upper;
    final double meanMin;
    final double meanMax;
    final double widthMin;
    final double widthMax;

    LayerStats(RasterProduct p) {
        int[] pair = interval(p.levels());
        int lo = pair[0];
        int hi = pair[1];
        lower = lo;
        upper = hi;
        double mMin = Double.POSITIVE_INFINITY;
        double mMax = Double.NEGATIVE_INFINITY;
        double wMin = Double.POSITIVE_INFINITY;
        double wMax = Double.NEGATIVE_INFINITY;
        float[][] bands = p.bands();
        for (int t = 0; t < p.timeSteps(); t++) {
            float[] mean = bands[p.meanBand(t)];
            for (float v : mean) {
                if (v < mMin) {
                    mMin = v;
                }
                if (v > mMax) {
                    mMax = v;
                }
            }
            if (lo >= 0) {
                float[] l = bands[p.quantileBand(t, lo)];
                float[] h = bands[p.quantileBand(t, hi)];
                for (int i = 0; i < l.length; i++) {
                    float v = h[i] - l[i];
                    if (v < wMin) {
                        wMin = v;
                    }
                    if (v > wMax) {
                        wMax = v;
                    }
                }
            }
        }
        // NaN never passes the comparisons above, so an all-NoData raster keeps +-infinity.
        meanMin = Double.isFinite(mMin) ? mMin : 0;
        meanMax = Double.isFinite(mMax) ? mMax : 1;
        widthMin = Double.isFinite(wMin) ? wMin : 0;
        widthMax = Double.isFinite(wMax) ? wMax : 1;
    }

    /**
     * The quantile pair of the uncertainty style: the widest interval symmetric about the median
     * (levels a and 1 - a), else the widest pair; {@code {-1, -1}} with fewer than two levels.
     */
    static int[] interval(double[] levels) {
        int lo = -1;
        int hi = -1;
        double best = 0;
        boolean bestSymmetric = false;
        for (int a = 0; a < levels.length; a++) {
            for (int b = 0; b < levels.length; b++) {
                double w = levels[b] - levels[a];
                if (!(w > 0)) {
                    continue;
                }
                boolean symmetric = Math.abs(levels[a] + levels[b] - 1) < 1e-9;
                if ((symmetric && !bestSymmetric) || (symmetric == bestSymmetric && w > best)) {
                    lo = a;
                    hi = b;
                    best = w;
                    bestSymmetric = symmetric;
                }
            }
        }
        return new int[] {lo, hi};
    }

    /** Whether a layer with these quantile levels offers style {@code s}. */
    static boolean offers(LayerStyle s, double[] levels) {
        return s == LayerStyle.MEAN || interval(levels)[0] >= 0;
    }

    boolean offers(LayerStyle s) {
        return s == LayerStyle.MEAN || lower >= 0;
    }

    double min(LayerStyle s) {
        return s == LayerStyle.MEAN ? meanMin : widthMin;
    }

    double max(LayerStyle s) {
        return s == LayerStyle.MEAN ? meanMax : widthMax;
    }

    /** A short description of what style {@code s} shows, e.g. "width of the 95% interval". */
    static String describe(LayerStyle s, double[] levels, String target) {
        if (s == LayerStyle.MEAN) {
            return "predictive mean of " + target;
        }
        int[] pair = interval(levels);
        double a = levels[pair[0]];
        double b = levels[pair[1]];
        return String.format(Locale.ROOT, "width of the %s predictive interval of %s (%s - %s)",
                intervalPercent(levels), target, RasterProduct.quantileName(b), RasterProduct.quantileName(a));
    }

    /** The coverage of the uncertainty interval, e.g. "95%"; requires two quantile levels. */
    static String intervalPercent(double[] levels) {
        int[] pair = interval(levels);
        return trim((levels[pair[1]] - levels[pair[0]]) * 100) + "%";
    }

    /** A number without a trailing ".0" and rounding noise: 95.00000000000001 -> "95". */
    static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
