/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.referencing.CRS (checked against geotools/geotools tag 34.5, modules/library/referencing/src/main/java/org/geotools/referencing/CRS.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.referencing;

import java.util.Locale;
import org.geotools.api.referencing.FactoryException;
import org.geotools.api.referencing.IdentifiedObject;
import org.geotools.api.referencing.NoSuchAuthorityCodeException;
import org.geotools.api.referencing.crs.CoordinateReferenceSystem;

/**
 * The static CRS utilities the adapter uses. Stand-in behaviour: {@code decode} knows any
 * {@code EPSG:n} or {@code CRS:84} code without a database; EPSG:4326, 4258 and 4269 are
 * latitude-first unless {@code longitudeFirst}, like GeoTools without forceXY.
 */
public final class CRS {
    private CRS() {}

    /** Axis order of a CRS. */
    public static enum AxisOrder {
        EAST_NORTH,
        NORTH_EAST,
        INAPPLICABLE
    }

    public static CoordinateReferenceSystem decode(final String code) throws NoSuchAuthorityCodeException, FactoryException {
        return decode(code, false);
    }

    public static CoordinateReferenceSystem decode(String code, final boolean longitudeFirst)
            throws NoSuchAuthorityCodeException, FactoryException {
        String c = code.trim().toUpperCase(Locale.ROOT);
        if (!c.matches("EPSG:\\d+|CRS:84")) {
            throw new NoSuchAuthorityCodeException("no such code " + code, "EPSG", code);
        }
        boolean northFirst = !longitudeFirst && (c.equals("EPSG:4326") || c.equals("EPSG:4258") || c.equals("EPSG:4269"));
        return new StandInCrs(c, northFirst ? AxisOrder.NORTH_EAST : AxisOrder.EAST_NORTH);
    }

    public static String lookupIdentifier(final IdentifiedObject object, final boolean fullScan) throws FactoryException {
        return object instanceof StandInCrs s ? s.code() : null;
    }

    public static AxisOrder getAxisOrder(CoordinateReferenceSystem crs) {
        return crs instanceof StandInCrs s ? s.order() : AxisOrder.INAPPLICABLE;
    }

    /** The stand-in's CRS object (upstream returns DefaultGeographicCRS, DefaultProjectedCRS, ...). */
    record StandInCrs(String code, AxisOrder order) implements CoordinateReferenceSystem {
        @Override
        public String toWKT() {
            return "STANDIN[\"" + code + "\"," + order + "]";
        }
    }
}
