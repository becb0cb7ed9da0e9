package dev.bayesnf.cli;

import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.JobStatus;
import dev.bayesnf.service.process.RasterProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bayesnf bench-service}: the service's throughput figures. Starts a service on a
 * temporary data directory (fitting the demo model), times a Forecast of the demo model on a
 * 512x512 grid x 7 days, then runs WMS GetMap 256x256 PNG requests from N concurrent clients over
 * HTTP on localhost for a fixed time and prints requests per second and p50/p99 latency.
 */
@Command(name = "bench-service", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Service benchmark: Forecast 512x512 x 7 days on the demo model, then WMS GetMap throughput and latency.")
final class ServiceBenchCommand implements Callable<Integer> {
    @Option(names = "--clients", defaultValue = "16", description = "Concurrent WMS clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--seconds", defaultValue = "30", description = "Duration of the WMS load (default ${DEFAULT-VALUE}).")
    int seconds;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("bayesnf-bench-service");
        ServiceConfig cfg = ServiceConfig.defaults(dir, 0).withDemo(false);
        try (BayesNFService service = BayesNFService.start(cfg)) {
            long t0 = System.nanoTime();
            ServeCommand.demo(service);
            System.out.printf(Locale.ROOT, "demo fit + 200x220x7 forecast: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            String model = service.jobs().models().ids().get(0);
            long t1 = System.nanoTime();
            Job j = service.jobs().await(service.jobs().submit(RasterProcess.FORECAST, ServeCommand.demoForecast(model, 512, 512)).id(),
                    Duration.ofMinutes(30));
            double forecastSeconds = (System.nanoTime() - t1) / 1e9;
            if (j.status() != JobStatus.SUCCESSFUL) {
                throw new IllegalStateException("forecast failed: " + j.errorMessage());
            }
            String layer = j.outputs().stream().filter(o -> o.id().equals("layer")).findFirst().orElseThrow().literal();
            System.out.printf(Locale.ROOT, "Forecast 512x512 x 7 days (%d components): %.2f s%n",
                    service.jobs().models().get(model).orElseThrow().componentCount(), forecastSeconds);
            String base = service.config().baseUrl() + "/wms?service=WMS&version=1.3.0&request=GetMap&layers=" + layer
                    + "&styles=&crs=EPSG:3857&width=256&height=256&format=image/png&transparent=true&time=1979-01-0";
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
            // warm-up
            runLoad(http, base, clients, 3_000_000_000L);
            List<long[]> results = runLoad(http, base, clients, seconds * 1_000_000_000L);
            long n = 0;
            long errors = 0;
            List<Long> lat = new ArrayList<>();
            for (long[] r : results) {
                errors += r[0];
                for (int i = 1; i < r.length; i++) {
                    lat.add(r[i]);
                }
            }
            n = lat.size();
            long[] sorted = lat.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "WMS GetMap 256x256 PNG, %d clients, %d s: %.0f requests/s, p50 %.2f ms,"
                    + " p99 %.2f ms, errors %d%n", clients, seconds, n / (double) seconds,
                    sorted[(int) (0.50 * (sorted.length - 1))] / 1e6, sorted[(int) (0.99 * (sorted.length - 1))] / 1e6,
                    errors);
        }
        return 0;
    }

    private static List<long[]> runLoad(HttpClient http, String base, int clients, long nanos) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> fs = new ArrayList<>();
        long end = System.nanoTime() + nanos;
        for (int c = 0; c < clients; c++) {
            int seed = c;
            fs.add(pool.submit(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                long[] lat = new long[1 << 16];
                int k = 1;
                long errors = 0;
                while (System.nanoTime() < end) {
                    // a random 256x256 tile over Ireland at one of three zoom levels
                    double size = new double[] {150_000, 300_000, 600_000}[rnd.nextInt(3)];
                    double x = -1_200_000 + rnd.nextDouble() * 620_000;
                    double y = 6_650_000 + rnd.nextDouble() * 800_000;
                    String url = base + (1 + rnd.nextInt(7)) + String.format(Locale.ROOT, "&bbox=%.0f,%.0f,%.0f,%.0f",
                            x, y, x + size, y + size);
                    long t = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    long dt = System.nanoTime() - t;
                    if (r.statusCode() != 200 || !r.headers().firstValue("Content-Type").orElse("").startsWith("image/png")) {
                        errors++;
                    }
                    if (k < lat.length) {
                        lat[k++] = dt;
                    }
                }
                long[] out = Arrays.copyOf(lat, k);
                out[0] = errors;
                return out;
            }));
        }
        List<long[]> r = new ArrayList<>();
        for (Future<long[]> f : fs) {
            r.add(f.get());
        }
        pool.shutdown();
        return r;
    }
}
