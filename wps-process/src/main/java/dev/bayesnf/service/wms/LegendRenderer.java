package dev.bayesnf.service.wms;

import dev.bayesnf.service.raster.PngEncoder;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws legends (a vertical colour ramp with its maximum at the top, middle and minimum values
 * labelled, under a title naming the variable and the style) and error messages for
 * {@code EXCEPTIONS=INIMAGE}, with Java2D (headless) into RGBA PNGs.
 *
 * <p>If the JVM cannot render text (no fonts installed), the images are drawn without text
 * rather than failing. Thread-safe.
 */
final class LegendRenderer {
    static final int DEFAULT_WIDTH = 140;
    static final int DEFAULT_HEIGHT = 240;

    private LegendRenderer() {}

    /**
     * The legend of a style over [min, max].
     *
     * @param title first line, e.g. the variable name
     * @param subtitle second line, e.g. "mean" or "95% interval width"
     */
    static byte[] legend(ColorRamp ramp, double min, double max, String title, String subtitle, int width,
            int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int top = 4;
            int fontSize = Math.max(8, Math.min(12, height / 16));
            boolean text = textWorks(g, fontSize);
            FontMetrics fm = text ? g.getFontMetrics() : null;
            int line = text ? fm.getHeight() : 0;
            if (text && height > 4 * line + 20) {
                g.setColor(Color.BLACK);
                g.drawString(fit(fm, title, width - 8), 4, top + fm.getAscent());
                g.drawString(fit(fm, subtitle, width - 8), 4, top + line + fm.getAscent());
                top += 2 * line + 4;
            }
            int bottom = height - Math.max(4, line / 2 + 2);
            top += line / 2;
            int barX = 6;
            int barW = Math.max(4, Math.min(24, width / 5));
            if (!text || width < 60) {
                barW = Math.max(1, width - 2 * barX);
            }
            int barH = Math.max(1, bottom - top);
            for (int y = 0; y < barH; y++) {
                double f = barH == 1 ? 1 : 1 - y / (double) (barH - 1);
                g.setColor(new Color(ramp.rgb(f)));
                g.fillRect(barX, top + y, barW, 1);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(barX - 1, top - 1, barW + 1, barH + 1); // frame around, not over, the ramp
            if (text && width >= 60) {
                g.setColor(Color.BLACK);
                int lx = barX + barW + 6;
                double[] values = {max, (min + max) / 2, min};
                int[] ys = {top, top + barH / 2, top + barH - 1};
                for (int k = 0; k < 3; k++) {
                    g.drawLine(barX + barW, ys[k], barX + barW + 3, ys[k]);
                    g.drawString(fit(fm, label(values[k]), width - lx - 2), lx, ys[k] + fm.getAscent() / 2 - 1);
                }
            }
        } finally {
            g.dispose();
        }
        return encode(img);
    }

    /** A map-sized image with the error message written on it (EXCEPTIONS=INIMAGE). */
    static byte[] message(String message, int width, int height, boolean transparent, int background) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            if (!transparent) {
                g.setColor(new Color(background));
                g.fillRect(0, 0, width, height);
            }
            if (textWorks(g, 12)) {
                g.setColor(new Color(0xB00020));
                FontMetrics fm = g.getFontMetrics();
                int y = 4 + fm.getAscent();
                for (String line : wrap(fm, message, Math.max(20, width - 8))) {
                    if (y > height) {
                        break;
                    }
                    g.drawString(line, 4, y);
                    y += fm.getHeight();
                }
            }
        } finally {
            g.dispose();
        }
        return encode(img);
    }

    private static boolean textWorks(Graphics2D g, int size) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            return g.getFontMetrics().getHeight() > 0;
        } catch (RuntimeException | LinkageError e) {
            return false; // e.g. no fontconfig in a minimal container
        }
    }

    private static byte[] encode(BufferedImage img) {
        int[] argb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        return PngEncoder.rgba(argb, img.getWidth(), img.getHeight());
    }

    /** A number with four significant digits, without trailing zeros. */
    static String label(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) {
            return LayerStats.trim(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4g", v)));
        }
        return String.format(java.util.Locale.ROOT, "%.3e", v);
    }

    private static String fit(FontMetrics fm, String s, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }

    private static List<String> wrap(FontMetrics fm, String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split("\\s+")) {
            String next = cur.length() == 0 ? word : cur + " " + word;
            if (fm.stringWidth(next) > width && cur.length() > 0) {
                lines.add(cur.toString());
                cur = new StringBuilder(word);
            } else {
                cur = new StringBuilder(next);
            }
        }
        if (cur.length() > 0) {
            lines.add(cur.toString());
        }
        return lines;
    }
}
