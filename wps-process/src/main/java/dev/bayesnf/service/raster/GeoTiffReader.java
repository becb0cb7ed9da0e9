package dev.bayesnf.service.raster;

import static dev.bayesnf.service.raster.GeoTiff.ASCII;
import static dev.bayesnf.service.raster.GeoTiff.BBOX;
import static dev.bayesnf.service.raster.GeoTiff.CRS;
import static dev.bayesnf.service.raster.GeoTiff.LEVELS;
import static dev.bayesnf.service.raster.GeoTiff.LONG;
import static dev.bayesnf.service.raster.GeoTiff.SHORT;
import static dev.bayesnf.service.raster.GeoTiff.TAG_GDAL_METADATA;
import static dev.bayesnf.service.raster.GeoTiff.TARGET;
import static dev.bayesnf.service.raster.GeoTiff.TIMES;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** The reading half of {@link GeoTiff}: the files it writes, back into rasters. */
final class GeoTiffReader {
    private GeoTiffReader() {}

    /**
     * Reads a GeoTIFF written by this class back into the product it was written from.
     *
     * @throws IOException when the file cannot be read or is not such a GeoTIFF (the message
     *     names the file and what is wrong)
     */
    static RasterProduct read(Path path) throws IOException {
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
    static Map<String, String> metadata(Path path) throws IOException {
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
