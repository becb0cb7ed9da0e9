package dev.bayesnf.service;

import dev.bayesnf.service.admin.AdminEndpoint;
import dev.bayesnf.service.results.ResultsEndpoint;
import dev.bayesnf.service.http.Endpoint;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.HttpServer;
import dev.bayesnf.service.jobs.JobManager;
import dev.bayesnf.service.jobs.JobStore;
import dev.bayesnf.service.ogcapi.OgcApiProcesses;
import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.Processes;
import dev.bayesnf.service.process.ReferenceFetcher;
import dev.bayesnf.service.raster.GeoTiff;
import dev.bayesnf.service.security.Accounts;
import dev.bayesnf.service.security.Role;
import dev.bayesnf.service.wms.WmsEndpoint;
import dev.bayesnf.service.wms.WmsService;
import dev.bayesnf.service.wps.WpsEndpoint;
import dev.bayesnf.service.wps.WpsService;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole service: job store, job manager and processes, and the WPS, OGC API and WMS front ends
 * on one HTTP server. {@code bayesnf serve} runs one; tests start one on a free port.
 */
public final class BayesNFService implements AutoCloseable {
    private final ServiceConfig config;
    private final JobManager jobs;
    private final HttpServer http;
    private final WpsService wps;
    private final Accounts accounts;

    private BayesNFService(ServiceConfig config, JobManager jobs, HttpServer http, WpsService wps, Accounts accounts) {
        this.config = config;
        this.jobs = jobs;
        this.http = http;
        this.wps = wps;
        this.accounts = accounts;
    }

    /** The accounts callers authenticate against. */
    public Accounts accounts() {
        return accounts;
    }

    /** What callers without credentials may do now; empty: nothing. */
    public Optional<Role> anonymousRole() throws SQLException {
        return anonymousRole(config, accounts);
    }

    /** The processes every instance offers, in catalogue order ({@link Processes#standard}). */
    public static List<BayesProcess> processes(ServiceConfig config) {
        return Processes.standard(config.processLimits());
    }

    /**
     * Opens the database, recovers interrupted jobs and starts listening. With port 0 the base URL
     * is rebuilt from the port actually bound when it was the default localhost one.
     */
    public static BayesNFService start(ServiceConfig config) throws Exception {
        Files.createDirectories(config.dataDir());
        String url = config.databaseUrl() != null ? config.databaseUrl() : JobStore.h2Url(config.dataDir());
        JobStore store;
        try {
            store = new JobStore(url);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the job database " + url + ": " + e.getMessage(), e);
        }
        int port = config.port() == 0 ? freePort() : config.port();
        ServiceConfig cfg = config.port() == 0 && config.baseUrl().equals("http://localhost:0")
                ? config.withPort(port).withBaseUrl("http://localhost:" + port) : config.withPort(port);
        JobManager jobs = new JobManager(cfg, store, processes(cfg), GeoTiff::read);
        ReferenceFetcher fetcher = new ReferenceFetcher(cfg.processLimits());
        WpsService wps = new WpsService(jobs, fetcher);
        Map<String, Endpoint> mounts = new LinkedHashMap<>();
        mounts.put("/wps", new WpsEndpoint(wps));
        mounts.put("/ogcapi", new OgcApiProcesses(jobs, fetcher));
        WmsService wms = new WmsService(jobs.layerCatalog(), cfg.baseUrl());
        mounts.put("/wms", new WmsEndpoint(wms));
        mounts.put("/results", new ResultsEndpoint(jobs));
        Accounts accounts = new Accounts(store);
        mounts.put("/admin", new AdminEndpoint(accounts));
        HttpServer http = new HttpServer(cfg.host(), port, cfg.maxRequestBytes(), mounts, landing(cfg), authorization -> {
            try {
                return accounts.authenticate(authorization, anonymousRole(cfg, accounts));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the accounts: " + e.getMessage(), e);
            }
        });
        try {
            http.start();
        } catch (Exception e) {
            jobs.close();
            throw new IllegalStateException("cannot listen on " + cfg.host() + ":" + port + " (" + e.getMessage() + ")", e);
        }
        return new BayesNFService(cfg, jobs, http, wps, accounts);
    }

    /** What callers without credentials may do ({@link ServiceConfig#anonymous}); empty: nothing. */
    static Optional<Role> anonymousRole(ServiceConfig cfg, Accounts accounts) throws SQLException {
        return switch (cfg.anonymous()) {
            case ServiceConfig.ANONYMOUS_NONE -> Optional.empty();
            case ServiceConfig.ANONYMOUS_AUTO -> accounts.anyCached() ? Optional.empty() : Optional.of(Role.ADMIN);
            default -> Optional.of(Role.parse(cfg.anonymous()));
        };
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpReply landing(ServiceConfig c) {
        String b = c.baseUrl();
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>BayesNF service</title></head>"
                + "<body><h1>BayesNF geospatial processing service</h1><ul>"
                + "<li>WPS 1.0.0: <a href=\"" + b + "/wps?service=WPS&amp;request=GetCapabilities\">" + b + "/wps</a></li>"
                + "<li>OGC API - Processes: <a href=\"" + b + "/ogcapi\">" + b + "/ogcapi</a></li>"
                + "<li>WMS 1.3.0: <a href=\"" + b + "/wms?service=WMS&amp;request=GetCapabilities\">" + b + "/wms</a></li>"
                + "</ul></body></html>\n";
        return HttpReply.text(200, "text/html; charset=UTF-8", html);
    }

    public ServiceConfig config() {
        return config;
    }

    public JobManager jobs() {
        return jobs;
    }

    public WpsService wps() {
        return wps;
    }

    public int port() {
        return http.port();
    }

    public void join() throws InterruptedException {
        http.join();
    }

    /** Stops accepting requests, lets requests in flight finish, stops jobs and closes the database. */
    @Override
    public void close() throws SQLException {
        http.close();
        jobs.close();
    }
}
