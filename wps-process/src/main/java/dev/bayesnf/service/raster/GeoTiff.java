package dev.bayesnf.service.raster;

import dev.bayesnf.core.Versions;
import dev.bayesnf.service.geo.Crs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.opengis.referencing.crs.CoordinateReferenceSystem;
import org.opengis.referencing.crs.GeographicCRS;
import org.opengis.referencing.crs.ProjectedCRS;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Writes a {@link RasterProduct} as a Float32 GeoTIFF, and reads such a file back.
 *
 * <p>The file: little-endian classic TIFF, one image of {@code bands} samples per pixel stored
 * band by band (PlanarConfiguration 2), Float32 (SampleFormat 3), MinIsBlack with the extra
 * samples unspecified, DEFLATE compression (zlib, TIFF compression 8), 256 x 256 tiles above
 * {@link #STRIP_LIMIT} cells and strips of about 64 KiB below. Georeferencing: ModelPixelScale and
 * ModelTiepoint (pixel (0, 0) = top-left corner of the bounding box, x = east, y = north),
 * GeoKeys GTModelType (geographic or projected), GTRasterType = PixelIsArea and
 * GeographicType or ProjectedCSType = the EPSG code (CRS:84 is written as EPSG:4326, whose
 * GeoTIFF georeferencing is in longitude, latitude as well). GDAL-specific tags: GDAL_NODATA
 * (42113) = {@code nan}, and GDAL_METADATA (42112) with a description per band (what
 * {@code gdalinfo} shows as {@code Description = ...}), band items STATISTIC, QUANTILE and TIME,
 * and dataset items {@code BAYESNF_*} from which {@link #read} rebuilds the product exactly, plus
 * any caller metadata (provenance).
 *
 * <p>Why not Apache SIS's GeoTIFF writer (sis-geotiff 1.6), measured with gdalinfo 3.6: it
 * writes a longitude-first WGS 84 as a user-defined geographic CRS (no EPSG:4326, angle unit
 * "unknown"), tags a three-band float image as RGB, writes no GDAL_NODATA for NaN and no band
 * descriptions; adding those afterwards would mean rewriting the IFD anyway. Baseline TIFF with
 * GeoKeys is small enough to write directly, and is checked against gdalinfo in the tests.
 *
 * <p>Writes to a path are atomic (a temporary file in the same directory, renamed when complete).
 * The reader reads the files this class writes (either byte order, strips or tiles, no or DEFLATE
 * compression, Float32, band-separate), not arbitrary TIFFs.
 *
 * <p>Thread-safe (no shared state).
 */
public final class GeoTiff {
    /** Tile width and height of tiled files. */
    public static final int TILE = 256;
    /** Rasters of at most this many cells are written in strips, larger ones in tiles. */
    public static final long STRIP_LIMIT = 512L * 512;

    /** Dataset metadata item: the predicted variable. */
    public static final String TARGET = "BAYESNF_TARGET";
    /** Dataset metadata item: the grid CRS code. */
    public static final String CRS = "BAYESNF_CRS";
    /** Dataset metadata item: minX,minY,maxX,maxY exactly as in the grid. */
    public static final String BBOX = "BAYESNF_BBOX";
    /** Dataset metadata item: the time labels, comma-separated (empty: no time axis). */
    public static final String TIMES = "BAYESNF_TIMES";
    /** Dataset metadata item: the quantile levels, comma-separated. */
    public static final String LEVELS = "BAYESNF_LEVELS";

    private static final int ASCII = 2;
    private static final int SHORT = 3;
    private static final int LONG = 4;
    private static final int DOUBLE = 12;
    private static final int TAG_GDAL_METADATA = 42112;
    private static final int TAG_GDAL_NODATA = 42113;

    private GeoTiff() {}

    /** Writes {@code product} to {@code path} atomically. */
    public static void write(RasterProduct product, Path path) throws IOException {
        write(product, path, Map.of());
    }

    /**
     * Writes {@code product} to {@code path} atomically, with {@code metadata} as extra dataset
     * items (names of letters, digits, '_', '.', ':' and '-'; e.g. model provenance).
     */
    public static void write(RasterProduct product, Path path, Map<String, String> metadata) throws IOException {
        byte[] xml = gdalMetadata(product, metadata).getBytes(StandardCharsets.UTF_8);
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeTo(product, xml, ch);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Streams the GeoTIFF of {@code product} to {@code out} (through a temporary file, since the
     * TIFF directory needs the block offsets; memory stays bounded). {@code out} is not closed.
     */
    public static void write(RasterProduct product, OutputStream out, Map<String, String> metadata)
            throws IOException {
        byte[] xml = gdalMetadata(product, metadata).getBytes(StandardCharsets.UTF_8);
        Path tmp = Files.createTempFile("bayesnf-", ".tif");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeTo(product, xml, ch);
            }
            Files.copy(tmp, out);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ---------------------------------------------------------------------------------- writing

    /** One IFD entry: tag, type, count and the value bytes (little-endian). */
    private record Entry(int tag, int type, long count, byte[] data) {}

    private static void writeTo(RasterProduct p, byte[] xml, FileChannel ch) throws IOException {
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

    // ---------------------------------------------------------------------------------- reading

    /**
     * Reads a GeoTIFF written by this class back into the product it was written from.
     *
     * @throws IOException when the file cannot be read or is not such a GeoTIFF (the message
     *     names the file and what is wrong)
     */
    public static RasterProduct read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            Tiff t = new Tiff(path, ch);
            Map<String, String> md = t.metadata();
            for (String k : List.of(TARGET, CRS, BBOX, TIMES, LEVELS)) {
                if (!md.containsKey(k)) {
                    throw new IOException(path + ": not a BayesNF raster (no " + k + " metadata item)");
                }
            }
            String[] bb = md.get(BBOX).split(",");
            Grid grid;
            double[] levels;
            try {
                grid = new Grid(md.get(CRS), Double.parseDouble(bb[0]), Double.parseDouble(bb[1]),
                        Double.parseDouble(bb[2]), Double.parseDouble(bb[3]), t.width, t.height);
                levels = md.get(LEVELS).isEmpty() ? new double[0]
                        : Arrays.stream(md.get(LEVELS).split(",")).mapToDouble(Double::parseDouble).toArray();
            } catch (RuntimeException e) {
                throw new IOException(path + ": malformed BayesNF metadata (" + e.getMessage() + ")", e);
            }
            List<String> times = md.get(TIMES).isEmpty() ? List.of() : List.of(md.get(TIMES).split(","));
            float[][] bands = t.bands();
            try {
                return new RasterProduct(grid, times, levels, md.get(TARGET), bands);
            } catch (IllegalArgumentException e) {
                throw new IOException(path + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The dataset metadata items of a GeoTIFF written by this class: the {@code BAYESNF_*} items
     * and the caller's extra items.
     */
    public static Map<String, String> metadata(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return new Tiff(path, ch).metadata();
        }
    }

    /** The first image directory of a TIFF file. */
    private static final class Tiff {
        private final Path path;
        private final FileChannel ch;
        private final ByteOrder order;
        private final Map<Integer, long[]> numbers = new TreeMap<>();
        private final Map<Integer, String> texts = new TreeMap<>();
        final int width;
        final int height;

        Tiff(Path path, FileChannel ch) throws IOException {
            this.path = path;
            this.ch = ch;
            ByteBuffer head = read(0, 8, ByteOrder.LITTLE_ENDIAN);
            if (head.get(0) == 'I' && head.get(1) == 'I') {
                order = ByteOrder.LITTLE_ENDIAN;
            } else if (head.get(0) == 'M' && head.get(1) == 'M') {
                order = ByteOrder.BIG_ENDIAN;
            } else {
                throw new IOException(path + ": not a TIFF file");
            }
            head.order(order);
            int magic = head.getShort(2) & 0xFFFF;
            if (magic != 42) {
                throw new IOException(path + ": not a classic TIFF file (BigTIFF is not read)");
            }
            long ifd = head.getInt(4) & 0xFFFF_FFFFL;
            int count = read(ifd, 2, order).getShort(0) & 0xFFFF;
            ByteBuffer dir = read(ifd + 2, 12 * count, order);
            for (int i = 0; i < count; i++) {
                int tag = dir.getShort(12 * i) & 0xFFFF;
                int type = dir.getShort(12 * i + 2) & 0xFFFF;
                long n = dir.getInt(12 * i + 4) & 0xFFFF_FFFFL;
                int size = switch (type) {
                    case 1, 2, 6, 7 -> 1;
                    case 3, 8 -> 2;
                    case 4, 9, 11 -> 4;
                    case 5, 10, 12 -> 8;
                    default -> 0;
                };
                long bytes = n * size;
                if (size == 0 || bytes > Integer.MAX_VALUE) {
                    continue;
                }
                ByteBuffer v = bytes <= 4 ? dir.slice(12 * i + 8, 4).order(order)
                        : read(dir.getInt(12 * i + 8) & 0xFFFF_FFFFL, (int) bytes, order);
                if (type == ASCII) {
                    byte[] b = new byte[(int) n];
                    v.get(0, b);
                    int end = b.length;
                    while (end > 0 && b[end - 1] == 0) {
                        end--;
                    }
                    texts.put(tag, new String(b, 0, end, StandardCharsets.UTF_8));
                } else if (type == SHORT || type == LONG) {
                    long[] a = new long[(int) n];
                    for (int k = 0; k < n; k++) {
                        a[k] = type == SHORT ? v.getShort(2 * k) & 0xFFFF : v.getInt(4 * k) & 0xFFFF_FFFFL;
                    }
                    numbers.put(tag, a);
                }
            }
            width = (int) one(256);
            height = (int) one(257);
        }

        private ByteBuffer read(long pos, int len, ByteOrder o) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(len);
            long at = pos;
            while (b.hasRemaining()) {
                int k = ch.read(b, at);
                if (k < 0) {
                    throw new IOException(path + ": truncated TIFF file");
                }
                at += k;
            }
            return b.flip().order(o);
        }

        private long one(int tag) throws IOException {
            long[] v = numbers.get(tag);
            if (v == null || v.length == 0) {
                throw new IOException(path + ": TIFF tag " + tag + " is missing");
            }
            return v[0];
        }

        private long oneOr(int tag, long otherwise) {
            long[] v = numbers.get(tag);
            return v == null || v.length == 0 ? otherwise : v[0];
        }

        Map<String, String> metadata() throws IOException {
            Map<String, String> md = new LinkedHashMap<>();
            String xml = texts.get(TAG_GDAL_METADATA);
            if (xml == null) {
                return md;
            }
            try {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                f.setExpandEntityReferences(false);
                NodeList items = f.newDocumentBuilder()
                        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                        .getElementsByTagName("Item");
                for (int i = 0; i < items.getLength(); i++) {
                    Element e = (Element) items.item(i);
                    if (!e.hasAttribute("sample")) {
                        md.put(e.getAttribute("name"), e.getTextContent());
                    }
                }
            } catch (ParserConfigurationException | SAXException e) {
                throw new IOException(path + ": malformed GDAL metadata (" + e.getMessage() + ")", e);
            }
            return md;
        }

        float[][] bands() throws IOException {
            int samples = (int) oneOr(277, 1);
            long[] bits = numbers.getOrDefault(258, new long[] {1});
            long[] format = numbers.getOrDefault(339, new long[] {1});
            for (int s = 0; s < samples; s++) {
                if (bits[Math.min(s, bits.length - 1)] != 32 || format[Math.min(s, format.length - 1)] != 3) {
                    throw new IOException(path + ": only Float32 samples are read");
                }
            }
            if (samples > 1 && oneOr(284, 1) != 2) {
                throw new IOException(path + ": only band-separate (planar configuration 2) images are read");
            }
            long compression = oneOr(259, 1);
            if (compression != 1 && compression != 8 && compression != 32946) {
                throw new IOException(path + ": compression " + compression + " is not read (only none and DEFLATE)");
            }
            if (oneOr(317, 1) != 1) {
                throw new IOException(path + ": predictors are not read");
            }
            boolean tiled = numbers.containsKey(322);
            int bw = tiled ? (int) one(322) : width;
            int bh = tiled ? (int) one(323) : (int) Math.min(height, oneOr(278, height));
            long[] offsets = numbers.get(tiled ? 324 : 273);
            long[] counts = numbers.get(tiled ? 325 : 279);
            int across = (width + bw - 1) / bw;
            int down = (height + bh - 1) / bh;
            int perBand = across * down;
            if (offsets == null || counts == null || offsets.length != perBand * samples
                    || counts.length != offsets.length) {
                throw new IOException(path + ": block offsets do not match the image layout");
            }
            if ((long) width * height > Integer.MAX_VALUE) {
                throw new IOException(path + ": image too large");
            }
            float[][] bands = new float[samples][width * height];
            byte[] raw = new byte[bw * bh * 4];
            Inflater inflater = new Inflater();
            try {
                for (int b = 0; b < samples; b++) {
                    for (int ty = 0; ty < down; ty++) {
                        for (int tx = 0; tx < across; tx++) {
                            int i = b * perBand + ty * across + tx;
                            if (counts[i] > Integer.MAX_VALUE) {
                                throw new IOException(path + ": block too large");
                            }
                            ByteBuffer data = read(offsets[i], (int) counts[i], order);
                            int rows = tiled ? bh : Math.min(bh, height - ty * bh);
                            int need = 4 * bw * rows;
                            int got;
                            if (compression == 1) {
                                got = Math.min(need, data.remaining());
                                data.get(0, raw, 0, got);
                            } else {
                                inflater.reset();
                                inflater.setInput(data.array(), 0, data.limit());
                                got = 0;
                                try {
                                    while (got < need && !inflater.finished()) {
                                        int k = inflater.inflate(raw, got, need - got);
                                        if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                                            break;
                                        }
                                        got += k;
                                    }
                                } catch (DataFormatException e) {
                                    throw new IOException(path + ": corrupt DEFLATE block " + i, e);
                                }
                            }
                            if (got < need) {
                                throw new IOException(path + ": block " + i + " holds " + got + " bytes, expected " + need);
                            }
                            ByteBuffer fb = ByteBuffer.wrap(raw, 0, need).order(order);
                            float[] band = bands[b];
                            for (int r = 0; r < rows; r++) {
                                int y = ty * bh + r;
                                if (y >= height) {
                                    break;
                                }
                                for (int c = 0; c < bw; c++) {
                                    int x = tx * bw + c;
                                    if (x < width) {
                                        band[y * width + x] = fb.getFloat(4 * (r * bw + c));
                                    }
                                }
                            }
                        }
                    }
                }
            } finally {
                inflater.end();
            }
            return bands;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Tiff[%s, %d x %d]", path, width, height);
        }
    }
}
