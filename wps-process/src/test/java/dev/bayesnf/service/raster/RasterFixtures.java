package dev.bayesnf.service.raster;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.BayesNFTrainer;
import dev.bayesnf.core.TrainingStatistics;
import dev.bayesnf.core.DataTable;
import dev.bayesnf.core.Estimator;
import dev.bayesnf.core.Frequency;
import dev.bayesnf.core.Georeference;
import dev.bayesnf.core.ModelSpec;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.TrainConfig;
import dev.bayesnf.core.compute.JavaBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tiny models fitted in-process for the raster tests (width 8, 2 particles, 3 epochs: the values
 * mean nothing, only their consistency is tested). Built once per JVM.
 */
final class RasterFixtures {
    private RasterFixtures() {}

    /** Station lon/lat over Ireland. */
    static final double[][] STATIONS = {{-7.9, 53.1}, {-7.4, 53.5}, {-8.9, 52.7}, {-10.0, 54.2}, {-6.2, 53.4}};

    private static BayesNFModel calendar;
    private static BayesNFModel numericUtm;
    private static BayesNFModel spatial;
    private static BayesNFModel withElevation;
    private static BayesNFModel oneTime;

    /** Daily model, 2020-02-01 .. 2020-02-20, features longitude, latitude (EPSG:4326), weekly seasonality. */
    static synchronized BayesNFModel calendar() {
        if (calendar == null) {
            calendar = fit(table(20, true, false), "datetime", Frequency.DAILY, List.of("longitude", "latitude"),
                    List.of("7"), List.of("longitude", "latitude"), null);
        }
        return calendar;
    }

    /** Numeric time 0 .. 9, features x, y in UTM zone 29N (EPSG:32629). */
    static synchronized BayesNFModel numericUtm() {
        if (numericUtm == null) {
            Map<String, String[]> cols = new LinkedHashMap<>();
            int n = 10 * STATIONS.length;
            String[] t = new String[n];
            String[] x = new String[n];
            String[] y = new String[n];
            String[] v = new String[n];
            double[] xy = new double[2 * STATIONS.length];
            for (int s = 0; s < STATIONS.length; s++) {
                xy[2 * s] = STATIONS[s][0];
                xy[2 * s + 1] = STATIONS[s][1];
            }
            dev.bayesnf.service.geo.Crs.transform("EPSG:4326", "EPSG:32629", xy, STATIONS.length);
            int r = 0;
            for (int step = 0; step < 10; step++) {
                for (int s = 0; s < STATIONS.length; s++) {
                    t[r] = Integer.toString(step);
                    x[r] = Double.toString(xy[2 * s]);
                    y[r] = Double.toString(xy[2 * s + 1]);
                    v[r] = Double.toString(5 + Math.cos(step / 3.0) + 0.5 * s);
                    r++;
                }
            }
            cols.put("t", t);
            cols.put("x", x);
            cols.put("y", y);
            cols.put("zinc", v);
            numericUtm = fit(new DataTable("utm", 2, cols), "t", null, List.of("x", "y"), List.of(), List.of("x", "y"),
                    "EPSG:32629", "zinc");
        }
        return numericUtm;
    }

    /** Purely spatial model on longitude, latitude. */
    static synchronized BayesNFModel spatial() {
        if (spatial == null) {
            spatial = fit(table(1, false, false), null, null, List.of("longitude", "latitude"), List.of(),
                    List.of("longitude", "latitude"), null);
        }
        return spatial;
    }

    /** Daily model with a third feature, elevation. */
    static synchronized BayesNFModel withElevation() {
        if (withElevation == null) {
            withElevation = fit(table(5, true, true), "datetime", Frequency.DAILY,
                    List.of("longitude", "latitude", "elevation"), List.of(), List.of("longitude", "latitude"), null);
        }
        return withElevation;
    }

    /** Daily model trained on the single day 2020-02-01. */
    static synchronized BayesNFModel oneTime() {
        if (oneTime == null) {
            oneTime = fit(table(1, true, false), "datetime", Frequency.DAILY, List.of("longitude", "latitude"),
                    List.of(), List.of("longitude", "latitude"), null);
        }
        return oneTime;
    }

    /** Observations at the stations on {@code days} days from 2020-02-01. */
    static DataTable table(int days, boolean withTime, boolean withElevation) {
        List<String> dt = new ArrayList<>();
        List<String> lon = new ArrayList<>();
        List<String> lat = new ArrayList<>();
        List<String> elev = new ArrayList<>();
        List<String> wind = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            for (int s = 0; s < STATIONS.length; s++) {
                dt.add(String.format(Locale.ROOT, "2020-02-%02d", d + 1));
                lon.add(Double.toString(STATIONS[s][0]));
                lat.add(Double.toString(STATIONS[s][1]));
                elev.add(Double.toString(10.0 * s + d));
                wind.add(Double.toString(10 + 3 * Math.sin(2 * Math.PI * d / 7.0) + s + STATIONS[s][1] - 53));
            }
        }
        Map<String, String[]> cols = new LinkedHashMap<>();
        if (withTime) {
            cols.put("datetime", dt.toArray(new String[0]));
        }
        cols.put("longitude", lon.toArray(new String[0]));
        cols.put("latitude", lat.toArray(new String[0]));
        if (withElevation) {
            cols.put("elevation", elev.toArray(new String[0]));
        }
        cols.put("wind", wind.toArray(new String[0]));
        return new DataTable("synthetic", 2, cols);
    }

    private static BayesNFModel fit(DataTable table, String time, Frequency freq, List<String> features,
            List<String> seasonality, List<String> standardize, String crs) {
        return fit(table, time, freq, features, seasonality, standardize, crs, "wind");
    }

    private static BayesNFModel fit(DataTable table, String time, Frequency freq, List<String> features,
            List<String> seasonality, List<String> standardize, String crs, String target) {
        ModelSpec spec = new ModelSpec(target, time, freq, features, standardize, seasonality, List.of(), List.of(),
                List.of(), 8, 2, ObservationModel.NORMAL);
        TrainConfig config = new TrainConfig(Estimator.MAP, 2, 3, 0, 0.01, 7, 0.1, 5, 30, 1);
        BayesNFModel m = new BayesNFTrainer(new JavaBackend()).fit(table, spec, config, null);
        int[] rows = TrainingStatistics.observedRows(spec, table);
        List<String> coords = features.subList(0, 2);
        Georeference g = Georeference.of(spec, table, rows, coords, crs).orElseThrow();
        return m.withGeoreference(g);
    }
}
