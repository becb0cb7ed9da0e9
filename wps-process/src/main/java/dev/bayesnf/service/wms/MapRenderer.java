package dev.bayesnf.service.wms;

import dev.bayesnf.service.raster.PngEncoder;
import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.service.raster.Grid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Draws a {@link MapRequest} as an 8-bit palette image by nearest-cell lookup: every output pixel
 * centre is transformed into the layer grid's CRS and coloured after the cell it falls in; NaN
 * cells and places outside the grid stay background (palette entry 0, transparent or the
 * BGCOLOR). Layers are drawn in request order, later ones over earlier ones.
 *
 * <p>Pixel-to-cell mappings: when the transform from the map CRS to the grid CRS is separable
 * (x depends on the column only and y on the row only: same CRS, lon/lat to Web Mercator and back,
 * any affine axis swap), only {@code width + height} points are transformed; this is checked on a
 * 5 x 5 lattice of pixel centres, not assumed. Otherwise (UTM to lon/lat, ...) every pixel centre
 * is transformed in one bulk {@link Crs#transform} call and the mapping is cached per
 * (CRS, bbox, size, grid).
 *
 * <p>Thread-safe: no locks on the drawing path; the cache is a bounded concurrent map.
 */
final class MapRenderer {
    /** Palette entries per colour ramp when a map uses a single ramp (entry 0 is background). */
    static final int LEVELS = 255;
    private static final int CACHE_ENTRIES = 64;
    private static final int CACHE_MAX_PIXELS = 1024 * 1024;

    private final Map<MappingKey, PixelMap> cache = new ConcurrentHashMap<>();

    private record MappingKey(String crs, double minX, double minY, double maxX, double maxY, int width, int height,
            Grid grid) {}

    /**
     * Where each pixel falls in a grid: for separable transforms {@code column[i]} and
     * {@code row[j]} (grid cell column and row, -1 outside), otherwise {@code cell[j * width + i]}
     * (row-major cell index, -1 outside).
     */
    record PixelMap(int[] column, int[] row, int[] cell) {}

    /** A drawn map: palette indices, the palette and the alpha of entry 0 (or none). */
    record Picture(byte[] pixels, int[] palette, int[] alpha) {
        byte[] png(int width, int height) {
            return PngEncoder.indexed(pixels, width, height, palette, alpha);
        }
    }

    Picture draw(MapRequest r) {
        List<ColorRamp> ramps = new ArrayList<>();
        for (MapRequest.MapLayer l : r.layers()) {
            if (!ramps.contains(l.style().ramp())) {
                ramps.add(l.style().ramp());
            }
        }
        int levels = LEVELS / Math.max(1, ramps.size());
        int[] palette = new int[1 + levels * ramps.size()];
        palette[0] = r.background();
        for (int k = 0; k < ramps.size(); k++) {
            System.arraycopy(ramps.get(k).sharedTable(levels), 0, palette, 1 + k * levels, levels);
        }
        byte[] pixels = new byte[r.width() * r.height()];
        for (MapRequest.MapLayer l : r.layers()) {
            int offset = 1 + ramps.indexOf(l.style().ramp()) * levels;
            drawLayer(r, l, pixels, offset, levels);
        }
        return new Picture(pixels, palette, r.transparent() ? new int[] {0} : new int[0]);
    }

    /** A map with nothing drawn (EXCEPTIONS=BLANK). */
    static Picture blank(int width, int height, boolean transparent, int background) {
        return new Picture(new byte[width * height], new int[] {background},
                transparent ? new int[] {0} : new int[0]);
    }

    private void drawLayer(MapRequest r, MapRequest.MapLayer l, byte[] out, int offset, int levels) {
        Grid g = l.product().grid();
        PixelMap m = mapping(r, g);
        float[][] bands = l.product().bands();
        float[] a;
        float[] b;
        if (l.style() == LayerStyle.MEAN) {
            a = bands[l.product().meanBand(l.step())];
            b = null;
        } else {
            a = bands[l.product().quantileBand(l.step(), l.stats().upper)];
            b = bands[l.product().quantileBand(l.step(), l.stats().lower)];
        }
        double min = l.stats().min(l.style());
        double max = l.stats().max(l.style());
        double scale = max > min ? (levels - 1) / (max - min) : 0;
        double base = max > min ? 0.5 - min * scale : (levels - 1) / 2.0 + 0.5;
        int w = r.width();
        int gw = g.width();
        if (m.cell() == null) {
            int[] col = m.column();
            int[] row = m.row();
            for (int j = 0; j < r.height(); j++) {
                if (row[j] < 0) {
                    continue;
                }
                int rowStart = row[j] * gw;
                int o = j * w;
                for (int i = 0; i < w; i++) {
                    int c = col[i];
                    if (c >= 0) {
                        put(out, o + i, rowStart + c, a, b, scale, base, offset, levels);
                    }
                }
            }
        } else {
            int[] cells = m.cell();
            for (int p = 0; p < cells.length; p++) {
                if (cells[p] >= 0) {
                    put(out, p, cells[p], a, b, scale, base, offset, levels);
                }
            }
        }
    }

    private static void put(byte[] out, int p, int cell, float[] a, float[] b, double scale, double base, int offset,
            int levels) {
        float v = b == null ? a[cell] : a[cell] - b[cell];
        if (v != v) {
            return; // NaN: NoData, leave what is below
        }
        int k = (int) (v * scale + base);
        out[p] = (byte) (offset + (k < 0 ? 0 : k >= levels ? levels - 1 : k));
    }

    /** The pixel-to-cell mapping of a map over grid {@code g}. */
    PixelMap mapping(MapRequest r, Grid g) {
        int w = r.width();
        int h = r.height();
        double dx = (r.maxX() - r.minX()) / w;
        double dy = (r.maxY() - r.minY()) / h;
        // pixel centres of column i and row j in the map CRS
        double[] xs = new double[w];
        double[] ys = new double[h];
        for (int i = 0; i < w; i++) {
            xs[i] = r.minX() + (i + 0.5) * dx;
        }
        for (int j = 0; j < h; j++) {
            ys[j] = r.maxY() - (j + 0.5) * dy;
        }
        double xMid = (r.minX() + r.maxX()) / 2;
        double yMid = (r.minY() + r.maxY()) / 2;
        double[] colPts = new double[2 * w];
        for (int i = 0; i < w; i++) {
            colPts[2 * i] = xs[i];
            colPts[2 * i + 1] = yMid;
        }
        double[] rowPts = new double[2 * h];
        for (int j = 0; j < h; j++) {
            rowPts[2 * j] = xMid;
            rowPts[2 * j + 1] = ys[j];
        }
        Crs.transform(r.crs(), g.crs(), colPts, w);
        Crs.transform(r.crs(), g.crs(), rowPts, h);
        if (separable(r, g, xs, ys, colPts, rowPts)) {
            int[] col = new int[w];
            int[] row = new int[h];
            for (int i = 0; i < w; i++) {
                col[i] = column(g, colPts[2 * i]);
            }
            for (int j = 0; j < h; j++) {
                row[j] = row(g, rowPts[2 * j + 1]);
            }
            return new PixelMap(col, row, null);
        }
        boolean cacheable = (long) w * h <= CACHE_MAX_PIXELS;
        MappingKey key = new MappingKey(r.crs(), r.minX(), r.minY(), r.maxX(), r.maxY(), w, h, g);
        if (cacheable) {
            PixelMap hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        double[] pts = new double[2 * w * h];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int k = 2 * (j * w + i);
                pts[k] = xs[i];
                pts[k + 1] = ys[j];
            }
        }
        Crs.transform(r.crs(), g.crs(), pts, w * h);
        int[] cells = new int[w * h];
        for (int p = 0; p < cells.length; p++) {
            int c = column(g, pts[2 * p]);
            int rr = row(g, pts[2 * p + 1]);
            cells[p] = c < 0 || rr < 0 ? -1 : rr * g.width() + c;
        }
        PixelMap m = new PixelMap(null, null, cells);
        if (cacheable) {
            if (cache.size() >= CACHE_ENTRIES) {
                cache.clear(); // crude bound; tiles rarely repeat exactly anyway
            }
            cache.put(key, m);
        }
        return m;
    }

    /**
     * Whether transforming (x_i, y_j) gives (colPts[i].x, rowPts[j].y) on a 5 x 5 lattice of pixel
     * centres, to a ten-thousandth of a grid cell.
     */
    private static boolean separable(MapRequest r, Grid g, double[] xs, double[] ys, double[] colPts,
            double[] rowPts) {
        int w = xs.length;
        int h = ys.length;
        double[] probe = new double[2 * 25];
        int[] is = new int[25];
        int[] js = new int[25];
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 5; b++) {
                int k = 5 * a + b;
                is[k] = (int) Math.round(a * (w - 1) / 4.0);
                js[k] = (int) Math.round(b * (h - 1) / 4.0);
                probe[2 * k] = xs[is[k]];
                probe[2 * k + 1] = ys[js[k]];
            }
        }
        Crs.transform(r.crs(), g.crs(), probe, 25);
        double tolX = 1e-4 * g.cellWidth();
        double tolY = 1e-4 * g.cellHeight();
        for (int k = 0; k < 25; k++) {
            double ex = colPts[2 * is[k]];
            double ey = rowPts[2 * js[k] + 1];
            double px = probe[2 * k];
            double py = probe[2 * k + 1];
            boolean bothNaN = Double.isNaN(ex) && Double.isNaN(px) && Double.isNaN(ey) && Double.isNaN(py);
            if (!bothNaN && !(Math.abs(px - ex) <= tolX && Math.abs(py - ey) <= tolY)) {
                return false;
            }
        }
        return true;
    }

    /** The grid column containing x, or -1. */
    static int column(Grid g, double x) {
        double f = (x - g.minX()) / g.cellWidth();
        return f >= 0 && f < g.width() ? (int) f : -1; // NaN fails both tests
    }

    /** The grid row (0 at the top) containing y, or -1. */
    static int row(Grid g, double y) {
        double f = (g.maxY() - y) / g.cellHeight();
        return f >= 0 && f < g.height() ? (int) f : -1;
    }
}
