/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.api.referencing.crs.CoordinateReferenceSystem (checked against geotools/geotools tag 34.5, modules/library/api/src/main/java/org/geotools/api/referencing/crs/CoordinateReferenceSystem.java).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.api.referencing.crs;

import org.geotools.api.referencing.IdentifiedObject;

/** A coordinate reference system. (Upstream extends ReferenceSystem, which extends IdentifiedObject.) */
public interface CoordinateReferenceSystem extends IdentifiedObject {}
