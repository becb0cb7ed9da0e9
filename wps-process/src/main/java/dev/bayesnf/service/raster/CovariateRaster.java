package dev.bayesnf.service.raster;

import dev.bayesnf.service.geo.Crs;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.sis.coverage.grid.GridCoverage;
import org.apache.sis.coverage.grid.GridGeometry;
import org.apache.sis.coverage.grid.PixelInCell;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.IdentifiedObjects;
import org.apache.sis.referencing.operation.transform.MathTransforms;
import org.apache.sis.storage.Aggregate;
import org.apache.sis.storage.DataStore;
import org.apache.sis.storage.DataStoreException;
import org.apache.sis.storage.DataStores;
import org.apache.sis.storage.GridCoverageResource;
import org.apache.sis.storage.Resource;
import org.opengis.referencing.crs.CoordinateReferenceSystem;
import org.opengis.referencing.operation.MathTransform;
import org.opengis.referencing.operation.TransformException;
import org.opengis.util.FactoryException;

/**
 * A covariate given as a raster (a GeoTIFF such as a DEM made with {@code gdal_translate}): one
 * band for a covariate that does not change in time, or one band per time step of the product.
 * {@link #sample} reads its value at points in any CRS, by nearest cell or bilinear interpolation
 * of the four nearest cell centres; points outside the raster, on a NoData cell or weighing one (GDAL's
 * NoData value, read by Apache SIS as NaN), are NaN, so the product's cell is NoData too.
 *
 * <p>The whole raster is read into memory when it is opened (at most {@link #MAX_CELLS} values,
 * cells x bands, for all the covariates of a product). Immutable after construction; thread-safe.
 */
public final class CovariateRaster {
    /** Most values (cells x bands) the covariate rasters of one product may hold in all: 200 MB of floats. */
    public static final long MAX_CELLS = 50_000_000L;

    /** How a covariate is read between cell centres. */
    public enum Resampling {
        /** The value of the cell the point falls in. */
        NEAREST,
        /** Bilinear interpolation of the four nearest cell centres. */
        BILINEAR;

        /** Parses {@code nearest} or {@code bilinear}. */
        public static Resampling parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("resampling '" + s + "': give nearest or bilinear");
            }
        }
    }

    private final String name;
    private final String crs;
    private final MathTransform crsToGrid;
    private final int width;
    private final int height;
    private final float[][] bands;

    private CovariateRaster(String name, String crs, MathTransform crsToGrid, int width, int height, float[][] bands) {
        this.name = name;
        this.crs = crs;
        this.crsToGrid = crsToGrid;
        this.width = width;
        this.height = height;
        this.bands = bands;
    }

    /**
     * Opens a GeoTIFF as the covariate {@code name}.
     *
     * @param label how to name the file in messages
     * @throws IllegalArgumentException naming the file and the problem (not a GeoTIFF, no CRS with
     *     an EPSG code, too large)
     */
    public static CovariateRaster open(String name, Path file, String label) {
        return open(name, file, label, MAX_CELLS);
    }

    /**
     * As {@link #open(String, Path, String)}, reading at most {@code budget} values (cells x
     * bands): what a request may still read when several covariates share one budget.
     */
    public static CovariateRaster open(String name, Path file, String label, long budget) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("covariate " + name + ": " + label + ": no such file");
        }
        try (DataStore store = DataStores.open(file)) {
            GridCoverageResource resource = firstCoverage(store);
            if (resource == null) {
                throw new IllegalArgumentException("covariate " + name + ": " + label + " holds no raster");
            }
            GridCoverage coverage = resource.read(null).forConvertedValues(true);
            GridGeometry gg = coverage.getGridGeometry();
            CoordinateReferenceSystem native0 = gg.isDefined(GridGeometry.CRS) ? gg.getCoordinateReferenceSystem() : null;
            Integer epsg = native0 == null ? null : IdentifiedObjects.lookupEPSG(native0);
            if (epsg == null) {
                throw new IllegalArgumentException("covariate " + name + ": " + label + " has no CRS with an EPSG code"
                        + " (write it with gdal_translate -a_srs EPSG:n)");
            }
            String code = "EPSG:" + epsg;
            // grid (cell corners) -> the file's CRS -> the east/north form every other CRS here has
            MathTransform gridToNative = gg.getGridToCRS(PixelInCell.CELL_CORNER);
            MathTransform nativeToEastNorth = CRS.findOperation(native0, Crs.parse(code), null).getMathTransform();
            MathTransform toGrid = MathTransforms.concatenate(gridToNative, nativeToEastNorth).inverse();
            RenderedImage image = coverage.render(null);
            int w = image.getWidth();
            int h = image.getHeight();
            int nb = image.getSampleModel().getNumBands();
            long values = (long) w * h * nb;
            if (values > budget) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "covariate %s: %s has %,d values (%d x %d"
                        + " cells x %d bands), more than the %,d left to read; cut it to the area and times of the"
                        + " product (gdal_translate -projwin, -b)", name, label, values, w, h, nb, budget));
            }
            // tile by tile into one float array per band: no whole-image copy beside it
            float[][] bands = new float[nb][w * h];
            java.awt.Rectangle all = new java.awt.Rectangle(image.getMinX(), image.getMinY(), w, h);
            float[] row = new float[w];
            for (int ty = image.getMinTileY(); ty < image.getMinTileY() + image.getNumYTiles(); ty++) {
                for (int tx = image.getMinTileX(); tx < image.getMinTileX() + image.getNumXTiles(); tx++) {
                    Raster tile = image.getTile(tx, ty);
                    java.awt.Rectangle r = tile.getBounds().intersection(all);
                    for (int b = 0; b < nb; b++) {
                        for (int y = r.y; y < r.y + r.height; y++) {
                            tile.getSamples(r.x, y, r.width, 1, b, row);
                            System.arraycopy(row, 0, bands[b], (y - all.y) * w + (r.x - all.x), r.width);
                        }
                    }
                }
            }
            return new CovariateRaster(name, code, toGrid, w, h, bands);
        } catch (DataStoreException | FactoryException | TransformException e) {
            throw new IllegalArgumentException("covariate " + name + ": " + label + " cannot be read as a GeoTIFF ("
                    + firstLine(e.getMessage()) + ")");
        }
    }

    private static GridCoverageResource firstCoverage(Resource r) throws DataStoreException {
        if (r instanceof GridCoverageResource g) {
            return g;
        }
        if (r instanceof Aggregate a) {
            for (Resource c : a.components()) {
                GridCoverageResource g = firstCoverage(c);
                if (g != null) {
                    return g;
                }
            }
        }
        return null;
    }

    /** The feature this raster supplies. */
    public String name() {
        return name;
    }

    /** The raster's CRS, {@code EPSG:n}. */
    public String crs() {
        return crs;
    }

    /** Cells per band. */
    public int cells() {
        return width * height;
    }

    /** Its bands: 1 for a covariate constant in time, else one per time step. */
    public int bands() {
        return bands.length;
    }

    /**
     * Values at {@code n} points whose east/north coordinates {@code xy} (x0, y0, x1, y1, ...) are
     * in this raster's CRS, from band {@code band}; NaN outside the raster or at NoData.
     */
    public double[] sample(double[] xy, int n, int band, Resampling resampling) {
        double[] g = java.util.Arrays.copyOf(xy, 2 * n);
        try {
            crsToGrid.transform(g, 0, g, 0, n);
        } catch (TransformException e) {
            java.util.Arrays.fill(g, Double.NaN);
        }
        float[] v = bands[band];
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double gx = g[2 * i];
            double gy = g[2 * i + 1];
            out[i] = resampling == Resampling.NEAREST ? nearest(v, gx, gy) : bilinear(v, gx, gy);
        }
        return out;
    }

    private double nearest(float[] v, double gx, double gy) {
        if (!(gx >= 0 && gy >= 0 && gx < width && gy < height)) {
            return Double.NaN;
        }
        return v[(int) gy * width + (int) gx];
    }

    private double bilinear(float[] v, double gx, double gy) {
        if (!(gx >= 0 && gy >= 0 && gx < width && gy < height)) {
            return Double.NaN;
        }
        // cell centres are at half-integer grid coordinates; at the raster's edge, the edge cell
        double cx = Math.min(Math.max(gx - 0.5, 0), width - 1);
        double cy = Math.min(Math.max(gy - 0.5, 0), height - 1);
        int x0 = (int) Math.floor(cx);
        int y0 = (int) Math.floor(cy);
        int x1 = Math.min(x0 + 1, width - 1);
        int y1 = Math.min(y0 + 1, height - 1);
        double fx = cx - x0;
        double fy = cy - y0;
        // a NoData neighbour with any weight makes the value NoData; one with none (a point on a
        // cell centre or between two centres) does not
        return weighted(v[y0 * width + x0], (1 - fx) * (1 - fy)) + weighted(v[y0 * width + x1], fx * (1 - fy))
                + weighted(v[y1 * width + x0], (1 - fx) * fy) + weighted(v[y1 * width + x1], fx * fy);
    }

    private static double weighted(double value, double weight) {
        return weight == 0 ? 0 : value * weight;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
