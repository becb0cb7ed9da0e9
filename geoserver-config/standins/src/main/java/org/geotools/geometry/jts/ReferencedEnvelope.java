/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.geometry.jts.ReferencedEnvelope (checked against geotools/geotools tag 34.5, modules/library/main/src/main/java/org/geotools/geometry/jts/ReferencedEnvelope.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.geometry.jts;

import org.geotools.api.geometry.Bounds;
import org.geotools.api.referencing.crs.CoordinateReferenceSystem;
import org.locationtech.jts.geom.Envelope;

/** A JTS envelope with a CRS; x is the CRS's first axis. (Upstream also implements BoundingBox.) */
public class ReferencedEnvelope extends Envelope implements Bounds {
    private static final long serialVersionUID = 1L;
    protected CoordinateReferenceSystem crs;

    public ReferencedEnvelope(final double x1, final double x2, final double y1, final double y2,
            final CoordinateReferenceSystem crs) {
        super(x1, x2, y1, y2);
        this.crs = crs;
    }

    @Override
    public CoordinateReferenceSystem getCoordinateReferenceSystem() {
        return crs;
    }

    @Override
    public int getDimension() {
        return 2;
    }

    @Override
    public double getMinimum(final int dimension) {
        return switch (dimension) {
            case 0 -> getMinX();
            case 1 -> getMinY();
            default -> throw new IndexOutOfBoundsException(dimension);
        };
    }

    @Override
    public double getMaximum(final int dimension) {
        return switch (dimension) {
            case 0 -> getMaxX();
            case 1 -> getMaxY();
            default -> throw new IndexOutOfBoundsException(dimension);
        };
    }
}
