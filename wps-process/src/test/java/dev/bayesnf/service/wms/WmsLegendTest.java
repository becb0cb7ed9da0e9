package dev.bayesnf.service.wms;

import static dev.bayesnf.service.wms.WmsFixtures.IRELAND;
import static dev.bayesnf.service.wms.WmsFixtures.kvp;
import static dev.bayesnf.service.wms.WmsFixtures.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

final class WmsLegendTest {
    private final WmsService wms = WmsFixtures.service();

    @Test
    void testDefaultLegendIsAPngWithTheRamp() {
        BufferedImage img = png(wms.handle(kvp("SERVICE", "WMS", "REQUEST", "GetLegendGraphic", "LAYER", IRELAND,
                "FORMAT", "image/png")));
        assertEquals(LegendRenderer.DEFAULT_WIDTH, img.getWidth());
        assertEquals(LegendRenderer.DEFAULT_HEIGHT, img.getHeight());
        // the ramp's extreme colours appear in the bar column
        boolean top = false;
        boolean bottom = false;
        for (int y = 0; y < img.getHeight(); y++) {
            int rgb = img.getRGB(10, y) & 0xFFFFFF;
            top |= rgb == ColorRamp.VIRIDIS.rgb(1);
            bottom |= rgb == ColorRamp.VIRIDIS.rgb(0);
        }
        assertTrue(top && bottom);
    }

    @Test
    void testUncertaintyLegendWithSize() {
        BufferedImage img = png(wms.handle(kvp("REQUEST", "GetLegendGraphic", "LAYER", IRELAND, "STYLE", "uncertainty",
                "WIDTH", "200", "HEIGHT", "300")));
        assertEquals(200, img.getWidth());
        assertEquals(300, img.getHeight());
        boolean darkRed = false;
        for (int y = 0; y < img.getHeight(); y++) {
            darkRed |= (img.getRGB(10, y) & 0xFFFFFF) == ColorRamp.YELLOW_RED.rgb(1);
        }
        assertTrue(darkRed);
    }

    @Test
    void testTinyLegendStillDraws() {
        BufferedImage img = png(wms.handle(kvp("REQUEST", "GetLegendGraphic", "LAYER", IRELAND, "WIDTH", "20",
                "HEIGHT", "20")));
        assertEquals(20, img.getWidth());
    }

    @Test
    void testLabels() {
        assertEquals("183.5", LegendRenderer.label(183.5));
        assertEquals("0.5", LegendRenderer.label(0.5));
        assertEquals("1.235e+07", LegendRenderer.label(12_345_678));
        assertEquals("0", LegendRenderer.label(0));
    }
}
