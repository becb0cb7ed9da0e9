package dev.bayesnf.service.wms;

/**
 * The colour ramps of the WMS styles, as hand-picked stops interpolated linearly in sRGB:
 * {@link #VIRIDIS} for the predictive mean (perceptually uniform, colour-blind safe) and
 * {@link #YELLOW_RED} for uncertainty (light = narrow interval, dark red = wide).
 *
 * <p>Immutable and thread-safe.
 */
public enum ColorRamp {
    /** Dark purple through teal and green to yellow. */
    VIRIDIS(0x440154, 0x482576, 0x414487, 0x35608D, 0x2A788E, 0x21908C, 0x22A884, 0x43BF71, 0x7AD151, 0xBBDF27,
            0xFDE725),
    /** Pale yellow through orange to dark red. */
    YELLOW_RED(0xFFFFCC, 0xFFEDA0, 0xFED976, 0xFEB24C, 0xFD8D3C, 0xFC4E2A, 0xE31A1C, 0xBD0026, 0x800026);

    private final int[] stops;
    /** {@link #table} for the sizes the map renderer uses, computed once. */
    private final int[] full;
    private final int[] half;

    ColorRamp(int... stops) {
        this.stops = stops;
        this.full = table(MapRenderer.LEVELS);
        this.half = table(MapRenderer.LEVELS / 2);
    }

    /** Like {@link #table} but shared (callers must not modify it) for the common sizes. */
    int[] sharedTable(int n) {
        return n == full.length ? full : n == half.length ? half : table(n);
    }

    /** The colour (0xRRGGBB) at {@code f} in [0, 1] along the ramp; f is clamped. */
    public int rgb(double f) {
        double p = Math.max(0, Math.min(1, Double.isNaN(f) ? 0 : f)) * (stops.length - 1);
        int i = Math.min((int) p, stops.length - 2);
        double w = p - i;
        int a = stops[i];
        int b = stops[i + 1];
        int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - w) + ((b >> 16) & 0xFF) * w);
        int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - w) + ((b >> 8) & 0xFF) * w);
        int bl = (int) Math.round((a & 0xFF) * (1 - w) + (b & 0xFF) * w);
        return (r << 16) | (g << 8) | bl;
    }

    /** {@code n >= 2} evenly spaced colours (0xRRGGBB), the first at 0, the last at 1. */
    public int[] table(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rgb(i / (double) (n - 1));
        }
        return t;
    }
}
