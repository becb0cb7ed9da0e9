package dev.bayesnf.service.process;

import dev.bayesnf.service.raster.RasterKind;
import java.util.List;

/** The processes every front end offers (the service's WPS and OGC API, the GeoServer plugin). */
public final class Processes {
    private Processes() {}

    /** Fit, Forecast, Interpolate, Predict, Variogram and echo, in catalogue order, within {@code limits}. */
    public static List<BayesProcess> standard(ProcessLimits limits) {
        return List.of(new FitProcess(limits), new RasterProcess(limits, RasterKind.FORECAST),
                new RasterProcess(limits, RasterKind.INTERPOLATE), new PredictProcess(limits),
                new VariogramProcess(limits), new EchoProcess());
    }
}
