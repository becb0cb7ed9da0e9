/**
 * The WMS 1.3.0 front end (OGC 06-042): {@link dev.bayesnf.service.wms.WmsService} answers
 * GetCapabilities, GetMap, GetFeatureInfo and GetLegendGraphic over the result layers of a
 * {@link dev.bayesnf.service.layers.LayerCatalog}, drawing each forecast or interpolation raster by
 * its predictive mean or its uncertainty (interval width), one TIME step at a time.
 *
 * <p>Axis order: inside this package coordinates are always (east, north); requests in EPSG:4326
 * (latitude first in WMS 1.3.0) are swapped on the way in and BoundingBoxes on the way out.
 */
package dev.bayesnf.service.wms;
