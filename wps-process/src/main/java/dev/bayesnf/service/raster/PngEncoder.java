package dev.bayesnf.service.raster;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A minimal PNG writer (ISO/IEC 15948): 8-bit palette images (colour type 3, with a
 * {@code tRNS} chunk for transparent entries) for maps, and 8-bit RGBA (colour type 6) for
 * legends. Scanlines use filter type 0 (none), as the PNG specification recommends for palette
 * images; compression is {@link Deflater#BEST_SPEED}.
 *
 * <p>Why not {@code javax.imageio}: measured with {@code WmsBenchmark} (test sources) on a
 * 256 x 256 Web Mercator tile, 2 shared cores, JDK 17: this encoder 0.14-0.16 ms per tile,
 * ImageIO's PNG writer 2.1 ms for the same palette image and 4.6-7.9 ms for it as 32-bit ARGB
 * (ImageIO tries adaptive filters and deflates at the default level through an
 * ImageOutputStream). The price is about 15 % larger files (4.7 kB against 4.1 kB).
 *
 * <p>Thread-safe: each thread reuses its own {@link Deflater}.
 */
public final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final ThreadLocal<Deflater> DEFLATER =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED));

    private PngEncoder() {}

    /**
     * Encodes a palette image.
     *
     * @param pixels {@code width * height} palette indices, row-major, row 0 at the top
     * @param palette colours 0xRRGGBB (at most 256)
     * @param alpha alpha (0-255) of the first {@code alpha.length} palette entries; the others are
     *     opaque; empty for an opaque image
     */
    public static byte[] indexed(byte[] pixels, int width, int height, int[] palette, int[] alpha) {
        if (palette.length < 1 || palette.length > 256 || alpha.length > palette.length) {
            throw new IllegalArgumentException("palette of " + palette.length + " colours, " + alpha.length + " alphas");
        }
        checkSize(pixels.length, width, height, 1);
        byte[] raw = new byte[(width + 1) * height];
        for (int y = 0; y < height; y++) {
            System.arraycopy(pixels, y * width, raw, y * (width + 1) + 1, width);
        }
        Chunks out = new Chunks(raw.length / 8 + 1024);
        out.header(width, height, 3);
        byte[] plte = new byte[3 * palette.length];
        for (int i = 0; i < palette.length; i++) {
            plte[3 * i] = (byte) (palette[i] >> 16);
            plte[3 * i + 1] = (byte) (palette[i] >> 8);
            plte[3 * i + 2] = (byte) palette[i];
        }
        out.chunk("PLTE", plte, plte.length);
        if (alpha.length > 0) {
            byte[] trns = new byte[alpha.length];
            for (int i = 0; i < alpha.length; i++) {
                trns[i] = (byte) alpha[i];
            }
            out.chunk("tRNS", trns, trns.length);
        }
        return out.finish(raw);
    }

    /**
     * Encodes a true-colour image with alpha.
     *
     * @param argb {@code width * height} pixels 0xAARRGGBB, row-major, row 0 at the top
     */
    public static byte[] rgba(int[] argb, int width, int height) {
        checkSize(argb.length, width, height, 1);
        int stride = 4 * width + 1;
        byte[] raw = new byte[stride * height];
        for (int y = 0; y < height; y++) {
            int o = y * stride + 1;
            for (int x = 0; x < width; x++) {
                int p = argb[y * width + x];
                raw[o++] = (byte) (p >> 16);
                raw[o++] = (byte) (p >> 8);
                raw[o++] = (byte) p;
                raw[o++] = (byte) (p >>> 24);
            }
        }
        Chunks out = new Chunks(raw.length / 8 + 1024);
        out.header(width, height, 6);
        return out.finish(raw);
    }

    private static void checkSize(int length, int width, int height, int perPixel) {
        if (width < 1 || height < 1 || (long) width * height * perPixel != length) {
            throw new IllegalArgumentException(
                    "image of " + width + " x " + height + " pixels does not match " + length + " values");
        }
    }

    /** A growing byte buffer that writes PNG chunks with their CRC. */
    private static final class Chunks {
        private byte[] buf;
        private int n;
        private final CRC32 crc = new CRC32();

        Chunks(int capacity) {
            buf = new byte[capacity];
            put(SIGNATURE, 0, SIGNATURE.length);
        }

        void header(int width, int height, int colourType) {
            byte[] h = new byte[13];
            putInt(h, 0, width);
            putInt(h, 4, height);
            h[8] = 8; // bit depth
            h[9] = (byte) colourType;
            // compression 0 (deflate), filter method 0, no interlace
            chunk("IHDR", h, h.length);
        }

        byte[] finish(byte[] raw) {
            Deflater d = DEFLATER.get();
            d.reset();
            d.setInput(raw);
            d.finish();
            int start = n;
            ensure(8);
            n += 8; // length and type, filled in below
            while (!d.finished()) {
                ensure(Math.max(4096, raw.length / 16));
                n += d.deflate(buf, n, buf.length - n);
            }
            int len = n - start - 8;
            putInt(buf, start, len);
            byte[] type = "IDAT".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(type, 0, buf, start + 4, 4);
            crc.reset();
            crc.update(buf, start + 4, len + 4);
            ensure(4);
            putInt(buf, n, (int) crc.getValue());
            n += 4;
            chunk("IEND", new byte[0], 0);
            return Arrays.copyOf(buf, n);
        }

        void chunk(String type, byte[] data, int len) {
            ensure(12 + len);
            putInt(buf, n, len);
            byte[] t = type.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(t, 0, buf, n + 4, 4);
            System.arraycopy(data, 0, buf, n + 8, len);
            crc.reset();
            crc.update(buf, n + 4, len + 4);
            putInt(buf, n + 8 + len, (int) crc.getValue());
            n += 12 + len;
        }

        private void put(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, n, len);
            n += len;
        }

        private void ensure(int more) {
            if (n + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
            }
        }

        private static void putInt(byte[] b, int at, int v) {
            b[at] = (byte) (v >>> 24);
            b[at + 1] = (byte) (v >>> 16);
            b[at + 2] = (byte) (v >>> 8);
            b[at + 3] = (byte) v;
        }
    }
}
