package dev.bayesnf.geoserver;

import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.raster.Grid;
import dev.bayesnf.service.raster.RasterProduct;
import java.awt.image.BandedSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferFloat;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.geotools.api.referencing.FactoryException;
import org.geotools.api.referencing.crs.CoordinateReferenceSystem;
import org.geotools.coverage.grid.GridCoverage2D;
import org.geotools.coverage.grid.GridCoverageFactory;
import org.geotools.geometry.jts.ReferencedEnvelope;
import org.geotools.referencing.CRS;

/**
 * GeoTools envelopes and coverages to and from the project's grids and raster products.
 *
 * <p>The project's {@link Grid} is always in east/north order with a short CRS code; a GeoTools
 * {@link ReferencedEnvelope} is in the axis order of its CRS (latitude first for EPSG:4326 unless
 * GeoServer forces x/y, which it does by default), so envelopes are swapped when
 * {@link CRS#getAxisOrder} says {@code NORTH_EAST}. Coverages are built longitude-first
 * ({@code CRS.decode(code, true)}), the order GeoServer's {@code gs:Import} and GeoTIFF writer use.
 *
 * <p>Stateless and thread-safe.
 */
public final class Coverages {
    private Coverages() {}

    /**
     * The short code ({@code EPSG:n}) of {@code crs}; EPSG:4326 when it is null (GeoJSON's CRS).
     *
     * @throws ProcessException naming {@code input} when GeoTools finds no code for it
     */
    public static String code(String input, CoordinateReferenceSystem crs) {
        if (crs == null) {
            return "EPSG:4326";
        }
        String id;
        try {
            id = CRS.lookupIdentifier(crs, true);
        } catch (FactoryException e) {
            throw ProcessException.invalid(input, "input '" + input + "': cannot identify its CRS (" + e.getMessage() + ")");
        }
        if (id == null) {
            throw ProcessException.invalid(input, "input '" + input + "': its CRS has no EPSG code; reproject it to one"
                    + " (e.g. EPSG:4326 or a UTM zone)");
        }
        return Crs.normalize(id);
    }

    /** Whether coordinates in {@code crs} come latitude/northing first. */
    public static boolean northFirst(CoordinateReferenceSystem crs) {
        return crs != null && CRS.getAxisOrder(crs) == CRS.AxisOrder.NORTH_EAST;
    }

    /** The grid of {@code width} x {@code height} cells over {@code envelope}. */
    public static Grid grid(String input, ReferencedEnvelope envelope, int width, int height) {
        InputValue.BoundingBox b = boundingBox(input, envelope);
        try {
            return new Grid(b.crs(), b.lower()[0], b.lower()[1], b.upper()[0], b.upper()[1], width, height);
        } catch (IllegalArgumentException e) {
            throw ProcessException.invalid(input, "input '" + input + "': " + e.getMessage());
        }
    }

    /**
     * The envelope as a process bounding box: east/north order with a short {@code EPSG:n} code,
     * which the processes read east first.
     */
    public static InputValue.BoundingBox boundingBox(String input, ReferencedEnvelope envelope) {
        CoordinateReferenceSystem crs = envelope.getCoordinateReferenceSystem();
        String code = code(input, crs);
        boolean swap = northFirst(crs);
        double x0 = swap ? envelope.getMinY() : envelope.getMinX();
        double y0 = swap ? envelope.getMinX() : envelope.getMinY();
        double x1 = swap ? envelope.getMaxY() : envelope.getMaxX();
        double y1 = swap ? envelope.getMaxX() : envelope.getMaxY();
        return new InputValue.BoundingBox(code, new double[] {x0, y0}, new double[] {x1, y1});
    }

    /**
     * A Float32 coverage of every band of {@code product} (band {@code t * (1 + levels) + k}: mean
     * then each quantile per time step, as in the GeoTIFF), sharing the product's arrays. NoData is
     * NaN. CRS:84 becomes EPSG:4326 longitude first (the same axes), so {@code gs:Import} finds an
     * EPSG code.
     */
    public static GridCoverage2D coverage(String name, RasterProduct product) {
        Grid g = product.grid();
        float[][] bands = product.bands();
        DataBufferFloat buffer = new DataBufferFloat(bands, (int) g.cells());
        WritableRaster raster = Raster.createWritableRaster(
                new BandedSampleModel(DataBuffer.TYPE_FLOAT, g.width(), g.height(), bands.length), buffer, null);
        String code = g.crs().equals("CRS:84") ? "EPSG:4326" : g.crs();
        CoordinateReferenceSystem crs;
        try {
            crs = CRS.decode(code, true);
        } catch (FactoryException e) {
            throw new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, "result",
                    "GeoTools does not know the CRS " + code + " of the result: " + e.getMessage());
        }
        ReferencedEnvelope env = new ReferencedEnvelope(g.minX(), g.maxX(), g.minY(), g.maxY(), crs);
        return new GridCoverageFactory().create(name, raster, env);
    }
}
