package dev.bayesnf.service.raster;

import dev.bayesnf.service.geo.Crs;

/**
 * A regular output grid: a bounding box in a CRS, always in (east, north) order, cut into
 * {@code width} x {@code height} cells. Row 0 is the northern edge; cell values stand for the cell
 * area (pixel-is-area) and are computed at cell centres.
 *
 * @param crs CRS code (normalized by {@link Crs#normalize})
 */
public record Grid(String crs, double minX, double minY, double maxX, double maxY, int width, int height) {

    public Grid {
        crs = Crs.normalize(crs);
        if (!(Double.isFinite(minX) && Double.isFinite(minY) && Double.isFinite(maxX) && Double.isFinite(maxY))) {
            throw new IllegalArgumentException("the bounding box must be four finite numbers");
        }
        if (!(minX < maxX && minY < maxY)) {
            throw new IllegalArgumentException("the bounding box is empty: minimum x " + minX + ", maximum x " + maxX
                    + ", minimum y " + minY + ", maximum y " + maxY + " (order: minx,miny,maxx,maxy)");
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("the grid needs a positive width and height, got " + width + " x " + height);
        }
    }

    public double cellWidth() {
        return (maxX - minX) / width;
    }

    public double cellHeight() {
        return (maxY - minY) / height;
    }

    /** The x of the centre of column {@code i}. */
    public double centerX(int i) {
        return minX + (i + 0.5) * cellWidth();
    }

    /** The y of the centre of row {@code j} (row 0 at the top). */
    public double centerY(int j) {
        return maxY - (j + 0.5) * cellHeight();
    }

    public long cells() {
        return (long) width * height;
    }
}
