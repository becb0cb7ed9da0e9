/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.coverage.grid.GridCoverageFactory (checked against geotools/geotools tag 34.5, modules/library/coverage/src/main/java/org/geotools/coverage/grid/GridCoverageFactory.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.coverage.grid;

import java.awt.image.WritableRaster;
import org.geotools.api.geometry.Bounds;
import org.geotools.geometry.jts.ReferencedEnvelope;

/** Creates grid coverages. (Upstream extends AbstractFactory and has many more create methods.) */
public class GridCoverageFactory {
    public GridCoverageFactory() {}

    /** A coverage of {@code raster} (row 0 at the top) spanning {@code envelope}. */
    public GridCoverage2D create(final CharSequence name, final WritableRaster raster, final Bounds envelope) {
        ReferencedEnvelope e = envelope instanceof ReferencedEnvelope r ? r
                : new ReferencedEnvelope(envelope.getMinimum(0), envelope.getMaximum(0), envelope.getMinimum(1),
                        envelope.getMaximum(1), envelope.getCoordinateReferenceSystem());
        return new GridCoverage2D(name, new StandInImage(raster), e);
    }
}
