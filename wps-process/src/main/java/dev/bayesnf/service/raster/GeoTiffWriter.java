package dev.bayesnf.service.raster;

import static dev.bayesnf.service.raster.GeoTiff.ASCII;
import static dev.bayesnf.service.raster.GeoTiff.BBOX;
import static dev.bayesnf.service.raster.GeoTiff.CRS;
import static dev.bayesnf.service.raster.GeoTiff.DOUBLE;
import static dev.bayesnf.service.raster.GeoTiff.LEVELS;
import static dev.bayesnf.service.raster.GeoTiff.LONG;
import static dev.bayesnf.service.raster.GeoTiff.SHORT;
import static dev.bayesnf.service.raster.GeoTiff.STRIP_LIMIT;
import static dev.bayesnf.service.raster.GeoTiff.TAG_GDAL_METADATA;
import static dev.bayesnf.service.raster.GeoTiff.TAG_GDAL_NODATA;
import static dev.bayesnf.service.raster.GeoTiff.TARGET;
import static dev.bayesnf.service.raster.GeoTiff.TILE;
import static dev.bayesnf.service.raster.GeoTiff.TIMES;

import dev.bayesnf.core.Versions;
import dev.bayesnf.service.geo.Crs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import org.opengis.referencing.crs.CoordinateReferenceSystem;
import org.opengis.referencing.crs.GeographicCRS;
import org.opengis.referencing.crs.ProjectedCRS;

/** The writing half of {@link GeoTiff}: the TIFF layout, GeoKeys and GDAL metadata it describes. */
final class GeoTiffWriter {
    private GeoTiffWriter() {}

    /** One IFD entry: tag, type, count and the value bytes (little-endian). */
    private record Entry(int tag, int type, long count, byte[] data) {}

    static void writeTo(RasterProduct p, byte[] xml, FileChannel ch) throws IOException {
        Grid g = p.grid();
        int w = g.width();
        int h = g.height();
        int n = p.bands().length;
        if (n > RasterRequest.MAX_BANDS) {
            throw new IllegalArgumentException("a GeoTIFF holds at most " + RasterRequest.MAX_BANDS + " bands, got " + n);
        }
        boolean tiled = g.cells() > STRIP_LIMIT;
        int bw = tiled ? TILE : w;
        int bh = tiled ? TILE : Math.max(1, Math.min(h, 16_384 / w));
        int across = (w + bw - 1) / bw;
        int down = (h + bh - 1) / bh;
        int perBand = across * down;
        long[] offsets = new long[perBand * n];
        long[] counts = new long[perBand * n];
        int[] geoKeys = geoKeys(g.crs());

        List<Entry> entries = entries(p, tiled, bw, bh, offsets, counts, geoKeys, xml);
        long pos = 8 + ifdSize(entries);
        Deflater deflater = new Deflater(6);
        try {
            byte[] raw = new byte[bw * bh * 4];
            ByteBuffer rawBuf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            byte[] packed = new byte[raw.length + raw.length / 100 + 64];
            int block = 0;
            for (float[] band : p.bands()) {
                for (int ty = 0; ty < down; ty++) {
                    for (int tx = 0; tx < across; tx++) {
                        int rows = tiled ? bh : Math.min(bh, h - ty * bh);
                        int k = 0;
                        for (int r = 0; r < rows; r++) {
                            int y = ty * bh + r;
                            for (int c = 0; c < bw; c++) {
                                int x = tx * bw + c;
                                float v = x < w && y < h ? band[y * w + x] : Float.NaN;
                                rawBuf.putFloat(4 * k++, v);
                            }
                        }
                        deflater.reset();
                        deflater.setInput(raw, 0, 4 * k);
                        deflater.finish();
                        int len = 0;
                        while (!deflater.finished()) {
                            if (len == packed.length) {
                                packed = Arrays.copyOf(packed, 2 * packed.length);
                            }
                            len += deflater.deflate(packed, len, packed.length - len);
                        }
                        writeFully(ch, ByteBuffer.wrap(packed, 0, len), pos);
                        offsets[block] = pos;
                        counts[block] = len;
                        block++;
                        pos += len;
                    }
                }
            }
        } finally {
            deflater.end();
        }
        if (pos > 0xFFFF_FFFFL) {
            throw new IOException("the GeoTIFF would be " + pos + " bytes, more than a classic TIFF can address");
        }
        entries = entries(p, tiled, bw, bh, offsets, counts, geoKeys, xml);
        ByteBuffer head = ByteBuffer.allocate(8 + (int) ifdSize(entries)).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        int valuePos = 8 + 2 + 12 * entries.size() + 4;
        head.putShort((short) entries.size());
        List<byte[]> outOfLine = new ArrayList<>();
        for (Entry e : entries) {
            head.putShort((short) e.tag()).putShort((short) e.type()).putInt((int) e.count());
            if (e.data().length <= 4) {
                byte[] v = Arrays.copyOf(e.data(), 4);
                head.put(v);
            } else {
                head.putInt(valuePos);
                outOfLine.add(e.data());
                valuePos += e.data().length + (e.data().length & 1);
            }
        }
        head.putInt(0);
        for (byte[] d : outOfLine) {
            head.put(d);
            if ((d.length & 1) == 1) {
                head.put((byte) 0);
            }
        }
        head.flip();
        writeFully(ch, head, 0);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        long at = pos;
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }

    private static long ifdSize(List<Entry> entries) {
        long s = 2 + 12L * entries.size() + 4;
        for (Entry e : entries) {
            if (e.data().length > 4) {
                s += e.data().length + (e.data().length & 1);
            }
        }
        return s;
    }

    private static List<Entry> entries(RasterProduct p, boolean tiled, int bw, int bh, long[] offsets, long[] counts,
            int[] geoKeys, byte[] xml) {
        Grid g = p.grid();
        int n = p.bands().length;
        int[] bits = new int[n];
        Arrays.fill(bits, 32);
        int[] format = new int[n];
        Arrays.fill(format, 3);
        List<Entry> e = new ArrayList<>();
        e.add(longs(256, g.width()));
        e.add(longs(257, g.height()));
        e.add(shorts(258, bits));
        e.add(shorts(259, 8));
        e.add(shorts(262, 1));
        if (!tiled) {
            e.add(longs(273, offsets));
            e.add(shorts(277, n));
            e.add(longs(278, bh));
            e.add(longs(279, counts));
        } else {
            e.add(shorts(277, n));
        }
        e.add(shorts(284, 2));
        e.add(ascii(305, ("BayesNF " + Versions.PROJECT).getBytes(StandardCharsets.UTF_8)));
        if (tiled) {
            e.add(longs(322, bw));
            e.add(longs(323, bh));
            e.add(longs(324, offsets));
            e.add(longs(325, counts));
        }
        if (n > 1) {
            e.add(shorts(338, new int[n - 1]));
        }
        e.add(shorts(339, format));
        e.add(doubles(33550, g.cellWidth(), g.cellHeight(), 0));
        e.add(doubles(33922, 0, 0, 0, g.minX(), g.maxY(), 0));
        e.add(shorts(34735, geoKeys));
        e.add(ascii(TAG_GDAL_METADATA, xml));
        e.add(ascii(TAG_GDAL_NODATA, "nan".getBytes(StandardCharsets.US_ASCII)));
        return e;
    }

    /**
     * The GeoKey directory of a CRS: GTModelType, GTRasterType = PixelIsArea, and the EPSG code
     * of the geographic or projected system.
     *
     * @throws IllegalArgumentException when the CRS has no EPSG code a GeoTIFF can carry
     */
    static int[] geoKeys(String code) {
        String c = Crs.normalize(code);
        CoordinateReferenceSystem crs = Crs.parse(c);
        int epsg;
        if (c.equals("CRS:84")) {
            epsg = 4326;
        } else if (c.startsWith("EPSG:")) {
            try {
                epsg = Integer.parseInt(c.substring(5));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("GeoTIFF output needs an EPSG code, got '" + code + "'", e);
            }
        } else {
            throw new IllegalArgumentException("GeoTIFF output needs an EPSG code, got '" + code + "'");
        }
        if (epsg <= 0 || epsg > 0xFFFF) {
            throw new IllegalArgumentException("EPSG code " + epsg + " does not fit a GeoTIFF key");
        }
        boolean geographic = crs instanceof GeographicCRS;
        if (!geographic && !(crs instanceof ProjectedCRS)) {
            throw new IllegalArgumentException("GeoTIFF output needs a geographic or projected CRS, got '" + code + "'");
        }
        return new int[] {1, 1, 0, 3,
            1024, 0, 1, geographic ? 2 : 1,
            1025, 0, 1, 1,
            geographic ? 2048 : 3072, 0, 1, epsg};
    }

    private static Entry shorts(int tag, int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putShort((short) x);
        }
        return new Entry(tag, SHORT, v.length, b.array());
    }

    private static Entry longs(int tag, long... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putInt((int) x);
        }
        return new Entry(tag, LONG, v.length, b.array());
    }

    private static Entry doubles(int tag, double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return new Entry(tag, DOUBLE, v.length, b.array());
    }

    private static Entry ascii(int tag, byte[] text) {
        byte[] z = Arrays.copyOf(text, text.length + 1);
        return new Entry(tag, ASCII, z.length, z);
    }

    /** The GDAL_METADATA document of a product. */
    static String gdalMetadata(RasterProduct p, Map<String, String> extra) {
        Map<String, String> items = new LinkedHashMap<>();
        items.put(TARGET, p.target());
        items.put(CRS, p.grid().crs());
        Grid g = p.grid();
        items.put(BBOX, g.minX() + "," + g.minY() + "," + g.maxX() + "," + g.maxY());
        items.put(TIMES, String.join(",", p.times()));
        List<String> lv = new ArrayList<>();
        for (double q : p.levels()) {
            lv.add(Double.toString(q));
        }
        items.put(LEVELS, String.join(",", lv));
        for (String t : p.times()) {
            if (t.contains(",")) {
                throw new IllegalArgumentException("a time label cannot contain a comma: " + t);
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(extra).entrySet()) {
            if (!e.getKey().matches("[A-Za-z0-9_.:-]+")) {
                throw new IllegalArgumentException("metadata item name '" + e.getKey()
                        + "' must be letters, digits, '_', '.', ':' or '-'");
            }
            if (items.containsKey(e.getKey())) {
                throw new IllegalArgumentException("metadata item " + e.getKey() + " is reserved");
            }
            items.put(e.getKey(), e.getValue());
        }
        StringBuilder s = new StringBuilder("<GDALMetadata>\n");
        items.forEach((k, v) -> s.append("  <Item name=\"").append(k).append("\">").append(escape(v)).append("</Item>\n"));
        List<String> descriptions = p.bandDescriptions();
        for (int t = 0; t < p.timeSteps(); t++) {
            for (int k = 0; k <= p.levels().length; k++) {
                int b = t * p.bandsPerStep() + k;
                s.append("  <Item name=\"DESCRIPTION\" sample=\"").append(b).append("\" role=\"description\">")
                        .append(escape(descriptions.get(b))).append("</Item>\n");
                s.append("  <Item name=\"STATISTIC\" sample=\"").append(b).append("\">")
                        .append(k == 0 ? "mean" : "quantile").append("</Item>\n");
                if (k > 0) {
                    s.append("  <Item name=\"QUANTILE\" sample=\"").append(b).append("\">")
                            .append(p.levels()[k - 1]).append("</Item>\n");
                }
                if (!p.times().isEmpty()) {
                    s.append("  <Item name=\"TIME\" sample=\"").append(b).append("\">")
                            .append(escape(p.times().get(t))).append("</Item>\n");
                }
            }
        }
        return s.append("</GDALMetadata>").toString();
    }

    private static String escape(String v) {
        StringBuilder s = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                default -> s.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return s.toString();
    }
}
