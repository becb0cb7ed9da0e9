package dev.bayesnf.opencl;

import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the passes of one network's kernel for {@link DeviceNetwork}: sets the pass (and a matrix
 * product's arguments), executes it over its range on the device, insists that it ran as OpenCL,
 * and, when {@link #PROFILE_PROPERTY} is set, times it.
 *
 * <p>Not thread-safe.
 */
final class PassRunner {
    /**
     * System property that, when "true", times every pass (host wall clock around each synchronous
     * execute) and prints the totals to standard error when the network is closed.
     */
    static final String PROFILE_PROPERTY = "bayesnf.opencl.profile";
    /** Pass names by mode number (profiles and messages). */
    static final String[] MODE_NAMES = {"", "gemm", "features", "activation", "output", "back-activation",
        "back-features", "reduce", "finish-gradient", "loss", "adam", "zero", "scalars", "gemm-axpy", "layer-sums",
        "transpose", "layer-sums-rows", "vi-zero", "vi-sample",
        "vi-accumulate", "vi-loss", "vi-finish", "adam-vi", "summary", "prior", "transpose-rows"};
    private static final int LOCAL = 64;
    /** Work-group extent along the contiguous dimension of multi-dimensional passes (one AVX-512 vector). */
    private static final int VEC = 16;
    private static final int T = GpuNetworkKernel.TILE;

    private final OpenCLDevice device;
    private final NetworkKernel kern;
    private final int members;
    /** Whether the passes take the GPU form. */
    private final boolean tiled;
    /** When not null, accumulated nanoseconds and calls per pass name. */
    private final Map<String, long[]> profile;

    PassRunner(OpenCLDevice device, NetworkKernel kernel, int members, boolean tiled) {
        this.device = device;
        this.kern = kernel;
        this.members = members;
        this.tiled = tiled;
        this.profile = Boolean.getBoolean(PROFILE_PROPERTY) ? new TreeMap<>() : null;
    }

    /**
     * C[k][m][n] = α Σ_t A[k][m][t]·B[k][t][n] (+ C), A in act at aOff + k·aSk + m·aSm + t·aSt,
     * B in params (bSrc 0) or act (1) at bOff + k·bSk + t·bSt + n·bSn, C in act (cDst 0) or grad (1)
     * at cOff + k·cSk + m·cSm + n; epi the CPU form's epilogue on the rows of C
     * ({@link KernelState#gemmEpilogue}, layer fields from {@code DeviceNetwork#setLayer}; none in
     * the GPU form).
     */
    void gemm(int m, int n, int t, int aOff, int aSk, int aSm, int aSt, int bSrc, int bOff,
            int bSk, int bSt, int bSn, int cDst, int cOff, int cSk, int cSm, float alpha, boolean acc, int epi) {
        NetworkKernel k = kern;
        k.gemmM = m;
        k.gemmN = n;
        k.gemmT = t;
        k.gemmAOffset = aOff;
        k.gemmAMemberStride = aSk;
        k.gemmARowStride = aSm;
        k.gemmAInnerStride = aSt;
        k.gemmBSource = bSrc;
        k.gemmBOffset = bOff;
        k.gemmBMemberStride = bSk;
        k.gemmBInnerStride = bSt;
        k.gemmBColumnStride = bSn;
        k.gemmCTarget = cDst;
        k.gemmCOffset = cOff;
        k.gemmCMemberStride = cSk;
        k.gemmCRowStride = cSm;
        k.gemmAlpha = alpha;
        k.gemmAccumulate = acc ? 1 : 0;
        k.gemmEpilogue = epi;
        long t0 = System.nanoTime();
        if (tiled) {
            if (epi != KernelState.EPI_NONE) {
                throw new IllegalArgumentException("the GPU-form matrix product has no epilogue");
            }
            k.mode = KernelState.M_GEMM;
            execute(Range.create3D(device, pad(n, T), pad(m, T), members, T, T, 1));
        } else {
            if (bSn != 1) {
                throw new IllegalArgumentException("the CPU-form matrix product needs contiguous columns of B");
            }
            // up to GEMM_ROWS rows of C per work-item: each work-item copies four rows of B into
            // private memory once and streams them over its rows of C, so more rows spread that
            // copy thinner (figures for 16 to 128 rows in docs/BENCHMARKS.md)
            k.gemmRows = Math.min(m, CpuNetworkKernel.GEMM_ROWS);
            k.mode = KernelState.M_GEMM_AXPY;
            execute(Range.create2D(device, pad((m + k.gemmRows - 1) / k.gemmRows, VEC), members, VEC, 1));
        }
        record("gemm " + m + "x" + n + "x" + t + (aSt == 1 ? "" : " A^T") + (bSn == 1 ? "" : " B^T")
                + (epi == KernelState.EPI_ACTIVATION ? " +activation" : epi == KernelState.EPI_BACK
                        ? " +back-activation" : epi == KernelState.EPI_OUTPUT ? " +output" : ""), t0);
    }

    /** Runs a pass over n work-items, padded to work-groups of {@value #LOCAL}. */
    void exec1(int mode, int n) {
        kern.mode = mode;
        long t0 = System.nanoTime();
        execute(Range.create(device, pad(n, LOCAL), LOCAL));
        record("pass " + MODE_NAMES[mode], t0);
    }

    /** Runs a pass over (n0, n1, n2), dimension 0 padded to work-groups of {@value #VEC}, dimension 1 to 4. */
    void exec3(int mode, int n0, int n1, int n2) {
        kern.mode = mode;
        long t0 = System.nanoTime();
        execute(Range.create3D(device, pad(n0, VEC), pad(n1, 4), n2, VEC, 4, 1));
        record("pass " + MODE_NAMES[mode], t0);
    }

    /** Runs a per-row pass over the chunk's rows of every member, {@link KernelState#rowBlock} rows per work-item. */
    void execRows(int mode) {
        exec2(mode, (kern.chunkRows + kern.rowBlock - 1) / kern.rowBlock, members);
    }

    /** Runs an element pass over n elements of every member ({@link KernelState#elementBlock} per work-item). */
    void execElements(int mode, int n) {
        exec2(mode, (n + kern.elementBlock - 1) / kern.elementBlock, members);
    }

    /** Runs a pass over (n0, n1), dimension 0 padded to work-groups of {@value #VEC}. */
    void exec2(int mode, int n0, int n1) {
        kern.mode = mode;
        long t0 = System.nanoTime();
        execute(Range.create2D(device, pad(n0, VEC), n1, VEC, 1));
        record("pass " + MODE_NAMES[mode], t0);
    }

    /** Adds the time since t0 to the profile entry key, when profiling. */
    void record(String key, long t0) {
        if (profile != null) {
            // the first call of a pass includes the driver's compilation for its work-group shape
            long[] v = profile.computeIfAbsent(key, x -> new long[3]);
            long dt = System.nanoTime() - t0;
            if (v[1] == 0 && v[2] == 0) {
                v[2] = dt;
            } else {
                v[0] += dt;
                v[1]++;
            }
        }
    }

    /**
     * Runs the current pass; a pass that Aparapi could not translate or the driver could not
     * compile becomes an {@link IllegalStateException} naming the device (Aparapi reports it as
     * an AssertionError when the device was chosen explicitly).
     */
    private void execute(Range range) {
        try {
            kern.execute(range);
        } catch (AssertionError | RuntimeException e) {
            throw new IllegalStateException("the BayesNF kernel could not run as OpenCL on "
                    + device.getShortDescription() + " (" + e.getMessage() + "); see Aparapi's log for the cause", e);
        }
        ensureOpenCl();
    }

    private void ensureOpenCl() {
        if (!kern.isRunningCL()) {
            throw new IllegalStateException("the BayesNF kernel did not run as OpenCL on "
                    + device.getShortDescription() + " (Aparapi fell back to its Java thread pool; see its log"
                    + " for the translation error)");
        }
    }

    private static int pad(int n, int to) {
        return Math.max(to, (n + to - 1) / to * to);
    }

    /** Prints the profile, when profiling, to standard error. */
    void printProfile() {
        if (profile != null) {
            long total = profile.values().stream().mapToLong(v -> v[0]).sum();
            StringBuilder sb = new StringBuilder("bayesnf opencl profile (" + device.getShortDescription()
                    + "), first calls excluded:\n");
            profile.forEach((name, v) -> sb.append(String.format(Locale.ROOT,
                    "  %-28s %8d calls %10.1f ms %5.1f%%  %8.3f ms/call (first call %.0f ms)%n", name, v[1],
                    v[0] / 1e6, 100.0 * v[0] / total, v[1] == 0 ? 0 : v[0] / 1e6 / v[1], v[2] / 1e6)));
            System.err.print(sb);
        }
    }
}
