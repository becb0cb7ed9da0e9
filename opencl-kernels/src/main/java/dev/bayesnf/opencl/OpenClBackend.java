package dev.bayesnf.opencl;

import com.aparapi.device.OpenCLDevice;
import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.core.compute.DeviceUnavailableException;
import dev.bayesnf.core.compute.Objective;
import dev.bayesnf.core.compute.PredictionSession;
import dev.bayesnf.core.compute.TrainingData;
import dev.bayesnf.core.compute.TrainingEngine;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The OpenCL backend: BayesNF training steps and predictions as Aparapi kernels on one OpenCL
 * device, float32, with the training table and the ensemble's parameters and Adam moments resident
 * on the device ({@link NetworkKernel}).
 *
 * <p>Device choice: GPUs first, then accelerators, then CPU drivers ({@link OpenClDevices}); index
 * N selects the N-th of that list ({@code opencl:N} through {@code Backends.select}; the
 * registered instance uses the system property {@value #DEVICE_PROPERTY}, default 0). When the machine has no OpenCL device,
 * {@link #unavailableReason()} says why and {@code Backends.select("opencl")} fails; nothing falls
 * back silently.
 *
 * <p>Automatic selection ({@code auto}): a GPU or accelerator above the plain-Java backend; a CPU
 * driver (pocl) only when asked for by name ({@code opencl}), never by {@code auto}. Aparapi hands
 * the driver Java arrays as host memory, and a CPU driver computes in that memory itself: when a
 * collection moves an array between two kernel calls (a young collection moves every young array)
 * the driver reads the old address and the JVM dies (SIGSEGV in a pocl worker thread, fault address
 * in the young generation just after a collection; 2 of 6 runs of {@code bayesnf bench-service},
 * whose demo fit allocates alongside, docs/BENCHMARKS.md). Measured on a 2-core AVX-512
 * machine with pocl 3.1 (docs/BENCHMARKS.md), the kernels on the CPU driver train wind-cpu at
 * 2.4-2.7x and wind-vi-cpu at 2.1-2.6x the speed of the Java backend, a default-size fit (width 512,
 * 64 particles) at 5.2x and a small one (155 rows, width 64, 8 particles) at 1.6x, and predict a
 * 3-million-cell raster in 22 s against 40 s. The price is the driver's compilation on first use
 * (about 20 s per kernel form, cached on disk by pocl afterwards). OpenCL is never probed by
 * {@code auto} in a JVM without {@code libjsig} preloaded (LLVM-based drivers replace the JVM's
 * signal handlers otherwise, which GeoServer's JVM does not guard against); it then ranks below
 * Java without loading any driver.
 *
 * <p>Coverage: MAP, MLE and VI with the NORMAL, NB and ZINB likelihoods, and prediction (network
 * outputs) for every likelihood.
 *
 * <p>Thread-safe; engines it opens are not.
 */
public final class OpenClBackend implements ComputeBackend {
    /** System property with the default device index of the registered backend. */
    public static final String DEVICE_PROPERTY = "bayesnf.opencl.device";
    /** Priority when there is no usable device, or OpenCL must not be probed: below the Java backend's 0. */
    static final int PRIORITY_NONE = -10;
    /**
     * Priority on a CPU driver: below the Java backend's 0, so that {@code auto} never picks it
     * (see the class comment); it runs when asked for by name.
     */
    static final int PRIORITY_CPU = -5;
    /** Priority on a GPU or accelerator: above everything else. */
    static final int PRIORITY_GPU = 10;

    private final int requested;

    /** The backend on the default device (public for {@link java.util.ServiceLoader}). */
    public OpenClBackend() {
        this(-1);
    }

    /**
     * The backend on device {@code index} of {@link OpenClDevices} order, or the default device
     * when negative.
     */
    public OpenClBackend(int index) {
        this.requested = index;
    }

    /**
     * The backend for a device request "opencl" or "opencl:N".
     *
     * @throws IllegalArgumentException when the request is not of that form
     */
    public static OpenClBackend of(String request) {
        String r = request.trim().toLowerCase(Locale.ROOT);
        if (r.equals("opencl")) {
            return new OpenClBackend();
        }
        if (r.startsWith("opencl:")) {
            try {
                int n = Integer.parseInt(r.substring("opencl:".length()));
                if (n >= 0) {
                    return new OpenClBackend(n);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device '" + request
                        + "': expected opencl:N with a device number N >= 0", e);
            }
        }
        throw new IllegalArgumentException("device '" + request
                + "': expected opencl or opencl:N with a device number N >= 0");
    }

    /** {@code Backends.select("opencl:N")} lands here: the backend restricted to device N. */
    @Override
    public OpenClBackend forRequest(String request) {
        return of(request);
    }

    /** The device index this backend uses. */
    int index() {
        if (requested >= 0) {
            return requested;
        }
        String prop = System.getProperty(DEVICE_PROPERTY);
        if (prop == null || prop.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(prop.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String id() {
        return "opencl";
    }

    @Override
    public int priority() {
        if (!signalChainingPreloaded()) {
            return PRIORITY_NONE;
        }
        return priority(OpenClDevices.all(), index());
    }

    static int priority(List<OpenCLDevice> devices, int index) {
        if (reason(devices, index).isPresent()) {
            return PRIORITY_NONE;
        }
        return OpenClDevices.isGpu(devices.get(index)) ? PRIORITY_GPU : PRIORITY_CPU;
    }

    /** Whether this JVM was started with the JDK's libjsig preloaded (LD_PRELOAD). */
    static boolean signalChainingPreloaded() {
        String pre = System.getenv("LD_PRELOAD");
        return pre != null && pre.contains("libjsig");
    }

    @Override
    public Optional<String> unavailableReason() {
        return reason(OpenClDevices.all(), index());
    }

    static Optional<String> reason(List<OpenCLDevice> devices, int index) {
        if (devices.isEmpty()) {
            return Optional.of(OpenClDevices.whyNone());
        }
        if (index < 0) {
            return Optional.of("system property " + DEVICE_PROPERTY + " is not a device number");
        }
        if (index >= devices.size()) {
            return Optional.of("OpenCL device " + index + " does not exist (this machine has "
                    + devices.size() + ", numbered from 0)");
        }
        return Optional.empty();
    }

    private Optional<OpenCLDevice> chosen() {
        List<OpenCLDevice> all = OpenClDevices.all();
        int i = index();
        return reason(all, i).isPresent() ? Optional.empty() : Optional.of(all.get(i));
    }

    /** The device, or {@link DeviceUnavailableException} saying why there is none. */
    OpenCLDevice requireDevice() {
        return chosen().orElseThrow(() -> new DeviceUnavailableException(
                "OpenCL backend cannot run: " + unavailableReason().orElse("unknown reason")));
    }

    @Override
    public String device() {
        Optional<OpenCLDevice> d = chosen();
        return d.isPresent() ? OpenClDevices.describe(index(), d.get())
                : "none (" + unavailableReason().orElse("") + ")";
    }

    @Override
    public boolean accelerator() {
        return chosen().map(OpenClDevices::isGpu).orElse(false);
    }

    @Override
    public TrainingEngine openTraining(FeatureLayout layout, Objective objective, TrainingData data,
            int members, int threads) {
        return new OpenClTrainingEngine(requireDevice(), layout, objective, data, members);
    }

    @Override
    public float[][] forward(FeatureLayout layout, float[][] params, float[][] x, float[][] seasonal,
            int threads) {
        try (PredictionSession s = openPrediction(layout, params, threads)) {
            return s.forward(x, seasonal);
        }
    }

    /**
     * Mixture mean and quantiles on the device: network outputs, per-member means and scales, and
     * per row Chandrupatla's bracketed root of the mixture CDF for each level, in float
     * ({@link NetworkKernel#summary}); only the summary leaves the device.
     */
    @Override
    public float[][] summarize(ObservationModel likelihood, FeatureLayout layout, float[][] params, float[][] x,
            float[][] seasonal, double[] levels, int threads) {
        try (PredictionSession s = openPrediction(layout, params, threads)) {
            return s.summarize(likelihood, x, seasonal, levels);
        }
    }

    /**
     * A session that keeps one prediction network on the device ({@link DeviceNetwork#forPrediction}):
     * the parameters are uploaded once, the kernel is translated and built once, and each call
     * only loads its rows. A raster predicted in chunks of 16,384 cells otherwise opened a network
     * per chunk and time step, each with its own kernel, program build and activation buffer.
     */
    @Override
    public PredictionSession openPrediction(FeatureLayout layout, float[][] params, int threads) {
        return new DeviceSession(requireDevice(), layout, params);
    }

    /**
     * Cap on a prediction network's activation buffer: 2^24 floats (64 MiB). Chunks this size
     * ran a raster forecast's products faster on pocl than four times larger or smaller ones
     * (docs/BENCHMARKS.md, "Raster prediction on the device").
     */
    static final long PREDICTION_ACTIVATION_FLOATS = 1L << 24;

    /** {@link #openPrediction}'s session. Not thread-safe. */
    private static final class DeviceSession implements PredictionSession {
        private final OpenCLDevice device;
        private final FeatureLayout layout;
        private final float[][] params;
        private DeviceNetwork net;

        DeviceSession(OpenCLDevice device, FeatureLayout layout, float[][] params) {
            this.device = device;
            this.layout = layout;
            this.params = params;
        }

        @Override
        public float[][] forward(float[][] x, float[][] seasonal) {
            if (x.length == 0 || params.length == 0) {
                return new float[params.length][0];
            }
            DeviceNetwork n = network(x.length);
            n.loadRows(x, seasonal);
            return n.forwardAll();
        }

        @Override
        public float[][] summarize(ObservationModel likelihood, float[][] x, float[][] seasonal, double[] levels) {
            if (x.length == 0 || params.length == 0) {
                return new float[1 + levels.length][x.length];
            }
            DeviceNetwork n = network(x.length);
            n.loadRows(x, seasonal);
            return n.summaryAll(likelihood, levels);
        }

        /** The network, rebuilt at twice its capacity (or more) when a call brings more rows than it holds. */
        private DeviceNetwork network(int rows) {
            if (net == null || net.capacity() < rows) {
                int capacity = net == null ? rows : (int) Math.min(Integer.MAX_VALUE / 2, Math.max(rows,
                        2L * net.capacity()));
                close();
                net = DeviceNetwork.forPrediction(device, layout, params.length, capacity,
                        PREDICTION_ACTIVATION_FLOATS);
                net.putState(params, false);
            }
            return net;
        }

        @Override
        public void close() {
            if (net != null) {
                DeviceNetwork n = net;
                net = null;
                n.close();
            }
        }
    }

    @Override
    public String toString() {
        return "OpenClBackend[" + device() + "]";
    }
}
