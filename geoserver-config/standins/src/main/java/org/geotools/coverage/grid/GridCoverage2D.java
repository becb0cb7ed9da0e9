/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.coverage.grid.GridCoverage2D (checked against geotools/geotools tag 34.5, modules/library/coverage/src/main/java/org/geotools/coverage/grid/GridCoverage2D.java and ../AbstractCoverage.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.coverage.grid;

import java.awt.image.RenderedImage;
import org.geotools.api.geometry.Bounds;
import org.geotools.api.referencing.crs.CoordinateReferenceSystem;
import org.geotools.api.util.InternationalString;
import org.geotools.geometry.jts.ReferencedEnvelope;
import org.geotools.util.SimpleInternationalString;

/** A two-dimensional grid coverage: an image and its envelope. */
public class GridCoverage2D {
    private final InternationalString name;
    private final RenderedImage image;
    private final ReferencedEnvelope envelope;

    /** Stand-in only (upstream builds coverages through {@link GridCoverageFactory} too). */
    GridCoverage2D(CharSequence name, RenderedImage image, ReferencedEnvelope envelope) {
        this.name = new SimpleInternationalString(name.toString());
        this.image = image;
        this.envelope = envelope;
    }

    public InternationalString getName() {
        return name;
    }

    public RenderedImage getRenderedImage() {
        return image;
    }

    public Bounds getEnvelope() {
        return envelope;
    }

    public ReferencedEnvelope getEnvelope2D() {
        return envelope;
    }

    public CoordinateReferenceSystem getCoordinateReferenceSystem() {
        return envelope.getCoordinateReferenceSystem();
    }

    public int getNumSampleDimensions() {
        return image.getSampleModel().getNumBands();
    }
}
