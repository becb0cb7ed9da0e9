package dev.bayesnf.cli;

import dev.bayesnf.core.compute.Backends;
import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.service.BayesNFService;
import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.jobs.Job;
import dev.bayesnf.service.jobs.ResponseOptions;
import dev.bayesnf.service.jobs.JobStatus;
import dev.bayesnf.service.process.FitProcess;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.RasterProcess;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bayesnf serve}: the OGC service on embedded defaults (H2 database and results in the
 * data directory, no external server). On the first start it fits a small demo model on the
 * bundled Irish wind data (1977-1978) and publishes a 7-day forecast as a WMS layer, both as
 * ordinary jobs, so a new user can add a layer in QGIS at once.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the OGC service: WPS 1.0.0 at /wps, OGC API - Processes at /ogcapi, WMS 1.3.0 at /wms.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String host;

    @Option(names = "--data-dir", defaultValue = "bayesnf-data", paramLabel = "DIR", description = "Database, models and results (default ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--base-url", paramLabel = "URL", description = "Public base URL for every link, e.g. https://maps.example.org/bayesnf (default http://localhost:PORT).")
    String baseUrl;

    @Option(names = "--database-url", paramLabel = "JDBC-URL", description = "Job and model database (default: H2 file in the data directory).")
    String databaseUrl;

    @Option(names = "--max-jobs", defaultValue = "1", description = "Jobs that run at once; others queue (default ${DEFAULT-VALUE}).")
    int maxJobs;

    @Option(names = "--result-hours", defaultValue = "168", description = "Hours finished jobs and their results are kept (default ${DEFAULT-VALUE}).")
    long resultHours;

    @Option(names = "--sync-seconds", defaultValue = "60", description = "How long a synchronous request waits before it is told to poll (default ${DEFAULT-VALUE}).")
    long syncSeconds;

    @Option(names = "--allow-host", split = ",", paramLabel = "HOST[:PORT]", description = "Hosts whose URLs may be fetched for inputs by reference; a bare host allows ports 80 and 443 only (default: none).")
    List<String> allowHosts = List.of();

    @Option(names = "--max-job-minutes", split = ",", paramLabel = "[PROCESS=]MINUTES", description = "Longest a job"
            + " may run before it is stopped and fails: MINUTES for every process, PROCESS=MINUTES for one"
            + " (default 720 for every process).")
    List<String> maxJobMinutes = List.of();

    @Option(names = "--anonymous", defaultValue = "auto", paramLabel = "ROLE", description = "What callers without"
            + " credentials may do: auto (everything while no account exists, nothing once one does), none, viewer,"
            + " forecaster, analyst or admin (default ${DEFAULT-VALUE}). Accounts: bayesnf users add.")
    String anonymous;

    @Option(names = "--max-jobs-per-user", defaultValue = "8", paramLabel = "N", description = "Jobs one account (or"
            + " one anonymous caller's address) may have queued or running at once (default ${DEFAULT-VALUE}).")
    int maxJobsPerUser;

    @Option(names = "--max-executes-per-minute", defaultValue = "120", paramLabel = "N", description = "Execute"
            + " requests one account (or one anonymous caller's address) may make per minute, in bursts of as many;"
            + " more are refused with 429 and Retry-After (default ${DEFAULT-VALUE}; 0: no limit).")
    int maxExecutesPerMinute;

    @Option(names = "--max-storage-mb-per-user", defaultValue = "10240", paramLabel = "MIB", description = "Mebibytes"
            + " of jobs, results and models one account (or the anonymous callers together) may keep; submissions"
            + " beyond are refused with NotEnoughStorage until finished jobs are dismissed or expire (default"
            + " ${DEFAULT-VALUE}; 0: no limit).")
    long maxStorageMb;

    @Option(names = "--model-days", defaultValue = "90", paramLabel = "DAYS", description = "A model not used for a"
            + " prediction for DAYS days since it was stored or last used is deleted (default ${DEFAULT-VALUE};"
            + " 0: models are kept for ever).")
    int modelDays;

    @Option(names = "--no-demo", description = "Do not fit the demo model on first start.")
    boolean noDemo;

    @Option(names = "--device", paramLabel = "DEVICE", description = "Compute backend of every job: auto, java, opencl or"
            + " opencl:N (default: system property bayesnf.device, else environment variable BAYESNF_DEVICE, else auto).")
    String device;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        if (maxJobs < 1) {
            throw new IllegalArgumentException("--max-jobs must be at least 1");
        }
        ServiceConfig cfg = ServiceConfig.defaults(dataDir, port).withHost(host)
                .withJobs(maxJobs, Duration.ofHours(resultHours), Duration.ofSeconds(syncSeconds))
                .withAllowedHosts(allowHosts).withDemo(!noDemo).withMaxJobsPerCaller(maxJobsPerUser)
                .withAnonymous(anonymous.trim().toLowerCase(java.util.Locale.ROOT));
        if (maxExecutesPerMinute < 0) {
            throw new IllegalArgumentException("--max-executes-per-minute must not be negative, got "
                    + maxExecutesPerMinute);
        }
        cfg = cfg.withMaxExecutesPerMinute(maxExecutesPerMinute);
        if (maxStorageMb < 0 || maxStorageMb > Long.MAX_VALUE >> 20) {
            throw new IllegalArgumentException("--max-storage-mb-per-user must be between 0 and " + (Long.MAX_VALUE >> 20)
                    + ", got " + maxStorageMb);
        }
        cfg = cfg.withMaxStoragePerCaller(maxStorageMb << 20);
        if (modelDays < 0) {
            throw new IllegalArgumentException("--model-days must not be negative, got " + modelDays);
        }
        cfg = cfg.withModelExpiry(Duration.ofDays(modelDays));
        if (baseUrl != null) {
            if (!baseUrl.matches("https?://.+")) {
                throw new IllegalArgumentException("--base-url must start with http:// or https://, got '" + baseUrl + "'");
            }
            cfg = cfg.withBaseUrl(baseUrl);
        }
        if (databaseUrl != null) {
            cfg = cfg.withDatabaseUrl(databaseUrl);
        }
        if (!maxJobMinutes.isEmpty()) {
            cfg = cfg.withJobTimeLimits(jobTimeLimits(maxJobMinutes, cfg.jobTimeLimits()));
        }
        // resolved once before the service starts: an unavailable device stops it with one line
        ComputeBackend backend = Backends.select(device != null ? device : Backends.configuredRequest());
        if (device != null) {
            System.setProperty(Backends.DEVICE_PROPERTY, device);
        }
        BayesNFService service = BayesNFService.start(cfg);
        String b = service.config().baseUrl();
        System.err.println("compute device: " + backend.id() + " (" + backend.device() + ")");
        System.err.println("BayesNF service on " + b + " (data in " + service.config().dataDir() + ")");
        System.err.println("  WPS 1.0.0:            " + b + "/wps?service=WPS&request=GetCapabilities");
        System.err.println("  OGC API - Processes:  " + b + "/ogcapi");
        System.err.println("  WMS 1.3.0:            " + b + "/wms?service=WMS&request=GetCapabilities");
        java.util.Optional<dev.bayesnf.service.security.Role> anon = service.anonymousRole();
        boolean loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
        if (!loopback && anon.isPresent()) {
            System.err.println("warning: listening on " + host + " where anyone who reaches it may act as "
                    + anon.get().id() + " without credentials; add accounts (bayesnf users add) or set --anonymous none");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping: finishing requests in flight");
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("stop: " + e);
            }
            stopped.countDown();
        }, "bayesnf-shutdown"));
        if (cfg.demo() && service.jobs().models().ids().isEmpty()) {
            demo(service);
        }
        service.join();
        stopped.await();
        return 0;
    }

    /** The limits of {@code --max-job-minutes} entries over {@code defaults}. */
    static Map<String, Duration> jobTimeLimits(List<String> entries, Map<String, Duration> defaults) {
        Map<String, Duration> limits = new LinkedHashMap<>(defaults);
        for (String e : entries) {
            int eq = e.lastIndexOf('=');
            String process = eq < 0 ? ServiceConfig.ANY_PROCESS : e.substring(0, eq).trim();
            String minutes = (eq < 0 ? e : e.substring(eq + 1)).trim();
            long m;
            try {
                m = Long.parseLong(minutes);
            } catch (NumberFormatException ex) {
                m = -1;
            }
            if (m < 1 || process.isEmpty()) {
                throw new IllegalArgumentException("--max-job-minutes takes MINUTES or PROCESS=MINUTES with a positive"
                        + " whole number of minutes, got '" + e + "'");
            }
            limits.put(process, Duration.ofMinutes(m));
        }
        return limits;
    }

    /** Fits the demo model and publishes its forecast, as jobs of the service itself. */
    static void demo(BayesNFService service) throws Exception {
        byte[] data;
        try (InputStream in = ServeCommand.class.getResourceAsStream("/demo/wind-1977-1978.csv")) {
            data = in.readAllBytes();
        }
        Map<String, List<InputValue>> fit = new LinkedHashMap<>();
        fit.put("data", List.of(new InputValue.Complex(data, "text/csv")));
        lit(fit, "target", "wind");
        lit(fit, "time", "datetime");
        lit(fit, "freq", "D");
        lit(fit, "features", "longitude,latitude");
        lit(fit, "standardize", "longitude,latitude");
        lit(fit, "seasonality", "7,365.25");
        lit(fit, "harmonics", "2,4");
        // Fourier features of a standardized coordinate have periods of at most one standard
        // deviation (spec §3.2), so with 12 stations they paint stripes along the axes between
        // and beyond the stations; the demo keeps them for time only and lets the network and
        // the longitude x latitude interaction shape the field.
        lit(fit, "fourierDegrees", "5,0,0");
        lit(fit, "interactions", "longitude:latitude");
        lit(fit, "width", "32");
        lit(fit, "ensemble", "4");
        lit(fit, "epochs", "300");
        lit(fit, "batch", "1024");
        System.err.println("first start: fitting the demo model on the bundled Irish wind data (1977-1978)...");
        Job j = service.jobs().submit(FitProcess.ID, fit, ResponseOptions.SERVICE);
        Job done = service.jobs().await(j.id(), Duration.ofMinutes(30));
        if (done.status() != JobStatus.SUCCESSFUL) {
            System.err.println("demo fit did not succeed: " + done.errorMessage());
            return;
        }
        String model = done.outputs().stream().filter(o -> o.id().equals("model")).findFirst().orElseThrow().literal();
        Job f = service.jobs().await(service.jobs().submit(RasterProcess.FORECAST, demoForecast(model, 200, 220),
                ResponseOptions.SERVICE).id(), Duration.ofMinutes(10));
        String layer = f.outputs().stream().filter(o -> o.id().equals("layer")).findFirst().map(o -> o.literal())
                .orElse("(failed: " + f.errorMessage() + ")");
        System.err.println("demo model " + model + "; 7-day forecast published as WMS layer " + layer);
    }

    /** Forecast inputs over Ireland for the first week after the demo data, on a width x height grid. */
    static Map<String, List<InputValue>> demoForecast(String model, int width, int height) {
        Map<String, List<InputValue>> fc = new LinkedHashMap<>();
        lit(fc, "model", model);
        fc.put("outputBBOX", List.of(new InputValue.BoundingBox("EPSG:4326", new double[] {-10.8, 51.2},
                new double[] {-5.2, 55.6})));
        lit(fc, "outputWidth", Integer.toString(width));
        lit(fc, "outputHeight", Integer.toString(height));
        fc.put("time", Arrays.stream(new String[] {"1979-01-01", "1979-01-02", "1979-01-03", "1979-01-04",
            "1979-01-05", "1979-01-06", "1979-01-07"}).<InputValue>map(InputValue.Literal::new).toList());
        return fc;
    }

    private static void lit(Map<String, List<InputValue>> m, String k, String v) {
        m.put(k, List.of(new InputValue.Literal(v)));
    }
}
