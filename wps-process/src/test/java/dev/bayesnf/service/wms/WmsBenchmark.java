package dev.bayesnf.service.wms;

import dev.bayesnf.service.layers.LayerInfo;
import dev.bayesnf.service.geo.Crs;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.raster.Grid;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * Micro-benchmark, not a test: renders 256 x 256 Web Mercator GetMap tiles over a 600 x 500 cell
 * forecast through {@link WmsService#handle} (parse, render, PNG encode; no HTTP), single-threaded
 * and with 16 client threads, and compares the PNG encoders on one tile. Prints ms/request.
 *
 * <p>Run: {@code java -cp wps-process/target/classes:wps-process/target/test-classes:<deps>
 * dev.bayesnf.service.wms.WmsBenchmark [seconds]}.
 */
public final class WmsBenchmark {
    private WmsBenchmark() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        Grid grid = new Grid("EPSG:4326", -11, 51, -5, 56, 600, 500);
        InMemoryLayerCatalog catalog = new InMemoryLayerCatalog();
        catalog.publish(new LayerInfo("bench", "bench", "", grid, WmsFixtures.TIMES, WmsFixtures.LEVELS, "pm25",
                Instant.now()), WmsFixtures.product(grid, WmsFixtures.TIMES, WmsFixtures.LEVELS));
        WmsService wms = new WmsService(catalog, "http://localhost:8080");
        List<Kvp> tiles = tiles(7);
        System.out.printf(Locale.ROOT, "%d distinct zoom-7 tiles over the grid, %d cores%n", tiles.size(),
                Runtime.getRuntime().availableProcessors());

        // warm up, then one thread
        run(wms, tiles, 2, seconds);
        double single = run(wms, tiles, 1, seconds);
        System.out.printf(Locale.ROOT, "GetMap 256x256, 1 thread:   %.3f ms/request (%.0f requests/s)%n", 1000 / single,
                single);
        double multi = run(wms, tiles, 16, seconds);
        System.out.printf(Locale.ROOT, "GetMap 256x256, 16 threads: %.0f requests/s%n", multi);

        // encoders on one tile
        MapRequest r = MapRequest.parse(new Params(tiles.get(tiles.size() / 2)), name -> new MapRequest.Resolved(
                catalog.layer(name).orElseThrow(), catalog.raster(name).orElseThrow(),
                new LayerStats(catalog.raster(name).orElseThrow())), 4096, 32);
        MapRenderer renderer = new MapRenderer();
        MapRenderer.Picture pic = renderer.draw(r);
        time("render only (palette indices)", seconds, () -> renderer.draw(r).pixels().length);
        time("PngEncoder.indexed (palette + tRNS)", seconds, () -> pic.png(256, 256).length);
        BufferedImage indexed = indexedImage(pic);
        time("ImageIO PNG, TYPE_BYTE_INDEXED", seconds, () -> imageIo(indexed));
        BufferedImage argb = new BufferedImage(256, 256, BufferedImage.TYPE_INT_ARGB);
        for (int p = 0; p < 256 * 256; p++) {
            argb.setRGB(p % 256, p / 256, indexed.getRGB(p % 256, p / 256));
        }
        time("ImageIO PNG, TYPE_INT_ARGB", seconds, () -> imageIo(argb));
        System.out.printf(Locale.ROOT, "sizes: PngEncoder %d bytes, ImageIO indexed %d, ImageIO ARGB %d%n",
                pic.png(256, 256).length, imageIo(indexed), imageIo(argb));
    }

    /** Requests/s of {@code threads} clients looping over the tiles for {@code seconds}. */
    private static double run(WmsService wms, List<Kvp> tiles, int threads, double seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * 7;
            fs.add(pool.submit(() -> {
                for (int i = offset; System.nanoTime() < end; i++) {
                    HttpReply r = wms.handle(tiles.get(i % tiles.size()));
                    if (!r.contentType().equals("image/png")) {
                        throw new IllegalStateException(new String(r.body()));
                    }
                    done.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static void time(String what, double seconds, java.util.function.IntSupplier task) {
        for (long end = System.nanoTime() + (long) (seconds * 5e8); System.nanoTime() < end;) {
            task.getAsInt();
        }
        long n = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            task.getAsInt();
            n++;
        }
        System.out.printf(Locale.ROOT, "%-38s %.3f ms%n", what, (System.nanoTime() - start) / 1e6 / n);
    }

    private static BufferedImage indexedImage(MapRenderer.Picture pic) {
        int n = pic.palette().length;
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = (byte) (pic.palette()[i] >> 16);
            g[i] = (byte) (pic.palette()[i] >> 8);
            b[i] = (byte) pic.palette()[i];
            a[i] = (byte) (i < pic.alpha().length ? pic.alpha()[i] : 255);
        }
        BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, n, r, g,
                b, a));
        img.getRaster().setDataElements(0, 0, 256, 256, pic.pixels());
        return img;
    }

    private static int imageIo(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.size();
    }

    /** GetMap requests for the Web Mercator tiles of zoom {@code z} that touch the grid. */
    private static List<Kvp> tiles(int z) {
        double world = 2 * Math.PI * 6378137;
        double size = world / (1 << z);
        double[] c = {-11, 51, -5, 56};
        Crs.transform("CRS:84", "EPSG:3857", c, 2);
        List<Kvp> out = new ArrayList<>();
        for (int tx = (int) Math.floor((c[0] + world / 2) / size); tx * size - world / 2 < c[2]; tx++) {
            for (int ty = (int) Math.floor((c[1] + world / 2) / size); ty * size - world / 2 < c[3]; ty++) {
                double x0 = tx * size - world / 2;
                double y0 = ty * size - world / 2;
                out.add(WmsFixtures.getMap("LAYERS", "bench", "CRS", "EPSG:3857", "WIDTH", "256", "HEIGHT", "256",
                        "BBOX", x0 + "," + y0 + "," + (x0 + size) + "," + (y0 + size), "TIME", "2024-01-02"));
            }
        }
        return out;
    }
}
