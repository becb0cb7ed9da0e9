package dev.bayesnf.service.raster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

final class PngEncoderTest {
    @Test
    void testIndexedWithTransparentEntryRoundTrips() throws Exception {
        int w = 37;
        int h = 23;
        int[] palette = {0x123456, 0xFF0000, 0x00FF00, 0x0000FF};
        byte[] px = new byte[w * h];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) r.nextInt(4);
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(PngEncoder.indexed(px, w, h, palette, new int[] {0})));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int k = px[y * w + x];
                int expected = k == 0 ? 0 : 0xFF000000 | palette[k];
                int actual = img.getRGB(x, y);
                assertEquals(expected == 0 ? 0 : expected, k == 0 ? actual >>> 24 : actual, x + "," + y);
            }
        }
    }

    @Test
    void testRgbaRoundTrips() throws Exception {
        int w = 300;
        int h = 7;
        int[] argb = new int[w * h];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < argb.length; i++) {
            argb[i] = r.nextInt() | 0xFF000000;
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(PngEncoder.rgba(argb, w, h)));
        for (int i = 0; i < argb.length; i++) {
            assertEquals(argb[i], img.getRGB(i % w, i / w));
        }
    }

    @Test
    void testSizeMismatchIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PngEncoder.indexed(new byte[5], 2, 2, new int[] {0}, new int[0]));
    }
}
