/*
 * Stand-in for compiling the BayesNF GeoServer adapter without GeoTools: a subset of the public
 * API of org.geotools.coverage.grid.StandInImage (checked against geotools/geotools tag 34.5, (no upstream file: helper of the stand-in GridCoverageFactory)).
 * Not the real class; never packaged into the plugin.
 */
package org.geotools.coverage.grid;

import java.awt.Rectangle;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.util.Vector;

/** A one-tile image over a raster; package-private, stand-in only. */
final class StandInImage implements RenderedImage {
    private final WritableRaster raster;

    StandInImage(WritableRaster raster) {
        this.raster = raster;
    }

    @Override
    public Vector<RenderedImage> getSources() {
        return null;
    }

    @Override
    public Object getProperty(String name) {
        return java.awt.Image.UndefinedProperty;
    }

    @Override
    public String[] getPropertyNames() {
        return null;
    }

    @Override
    public ColorModel getColorModel() {
        return null;
    }

    @Override
    public SampleModel getSampleModel() {
        return raster.getSampleModel();
    }

    @Override
    public int getWidth() {
        return raster.getWidth();
    }

    @Override
    public int getHeight() {
        return raster.getHeight();
    }

    @Override
    public int getMinX() {
        return 0;
    }

    @Override
    public int getMinY() {
        return 0;
    }

    @Override
    public int getNumXTiles() {
        return 1;
    }

    @Override
    public int getNumYTiles() {
        return 1;
    }

    @Override
    public int getMinTileX() {
        return 0;
    }

    @Override
    public int getMinTileY() {
        return 0;
    }

    @Override
    public int getTileWidth() {
        return raster.getWidth();
    }

    @Override
    public int getTileHeight() {
        return raster.getHeight();
    }

    @Override
    public int getTileGridXOffset() {
        return 0;
    }

    @Override
    public int getTileGridYOffset() {
        return 0;
    }

    @Override
    public Raster getTile(int tileX, int tileY) {
        return raster;
    }

    @Override
    public Raster getData() {
        return raster;
    }

    @Override
    public Raster getData(Rectangle rect) {
        return raster.createChild(rect.x, rect.y, rect.width, rect.height, rect.x, rect.y, null);
    }

    @Override
    public WritableRaster copyData(WritableRaster r) {
        WritableRaster out = r != null ? r : raster.createCompatibleWritableRaster();
        out.setRect(raster);
        return out;
    }
}
