package dev.bayesnf.opencl;

import com.aparapi.device.OpenCLDevice;
import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.compute.CounterNormal;
import dev.bayesnf.core.compute.Objective;
import dev.bayesnf.core.compute.TrainingData;
import dev.bayesnf.core.compute.TrainingEngine;

/**
 * The OpenCL {@link TrainingEngine}: the state and Adam moments of all K members, the training
 * table and the activations live on the device; a step uploads the batch row indices (and, for VI,
 * the step's noise) and downloads K losses.
 *
 * <p>Every objective: MAP, MLE and VI, with the NORMAL, NB and ZINB likelihoods.
 *
 * <p>VI noise. The reparameterisation draws ε ~ Normal(0, 1) (K members × S samples × P
 * parameters per step) come from {@link CounterNormal}, keyed by (step seed, member, sample) and
 * counted by parameter element as the Java engine draws them, but evaluated on the device, each
 * work-item drawing its own elements: the host computes and uploads the K·S keys only. The
 * hashing is the same 64-bit integer arithmetic (OpenCL's {@code long}); Box-Muller runs in float
 * instead of double (no double precision needed on the device), so the draws equal the Java
 * engine's to a few 1e-7 relative and a VI fit follows the same noise on both backends up to that
 * rounding. Why on the device: drawing K·S·P normals in double on the host took a tenth of a
 * wind-vi-cpu step on two cores (docs/BENCHMARKS.md), plus the upload of K·S·P floats, and on a
 * GPU such a host loop would dominate the step.
 *
 * <p>Not thread-safe.
 */
final class OpenClTrainingEngine implements TrainingEngine {
    private final Objective objective;
    private final int members;
    private final int p;
    private final int q;
    private final DeviceNetwork net;
    private int t;

    OpenClTrainingEngine(OpenCLDevice device, FeatureLayout layout, Objective objective, TrainingData data,
            int members) {
        if (members < 1) {
            throw new IllegalArgumentException("members must be at least 1, got " + members);
        }
        this.objective = objective;
        this.members = members;
        this.p = layout.parameterCount();
        this.q = objective.stateSize(p);
        int samples = objective.variational() ? objective.mcSamples() : 0;
        this.net = new DeviceNetwork(device, layout, members, objective.likelihood(), samples, data.x(),
                data.seasonal(), data.y(), DeviceNetwork.DEFAULT_MAX_ACTIVATION_FLOATS);
    }

    @Override
    public int members() {
        return members;
    }

    @Override
    public void setState(float[][] state) {
        if (state.length != members) {
            throw new IllegalArgumentException("expected " + members + " members, got " + state.length);
        }
        for (float[] s : state) {
            if (s.length != q) {
                throw new IllegalArgumentException("expected state of " + q + " values, got " + s.length);
            }
        }
        net.putState(state, true);
        t = 0;
    }

    @Override
    public float[][] state() {
        return net.getState();
    }

    @Override
    public void step(int[][] rows, long noiseSeed, float[] lossOut) {
        compute(rows, noiseSeed);
        t++;
        float c1 = (float) (1 - Math.pow(Objective.BETA1, t));
        float c2 = (float) (1 - Math.pow(Objective.BETA2, t));
        net.adam((float) objective.learningRate(), c1, c2);
        System.arraycopy(net.losses(), 0, lossOut, 0, members);
    }

    @Override
    public void lossAndGradient(int[][] rows, long noiseSeed, float[] lossOut, float[][] gradOut) {
        compute(rows, noiseSeed);
        System.arraycopy(net.losses(), 0, lossOut, 0, members);
        float[][] g = net.gradients();
        for (int k = 0; k < members; k++) {
            System.arraycopy(g[k], 0, gradOut[k], 0, q);
        }
    }

    private void compute(int[][] rows, long noiseSeed) {
        if (rows.length != 1 && rows.length != members) {
            throw new IllegalArgumentException("batches: expected 1 or " + members + ", got " + rows.length);
        }
        int b = net.putRows(rows);
        double scale = (double) objective.datasetRows() / b;
        if (objective.variational()) {
            net.variationalLossAndGradient(b, (float) (scale / objective.klWeight()), noiseSeed);
        } else {
            net.lossAndGradient(b, (float) scale, (float) objective.priorWeight());
        }
    }

    /** The device network (tests and benchmarks). */
    DeviceNetwork network() {
        return net;
    }

    /** Whether the last pass ran as OpenCL (always, or a pass would have thrown). */
    boolean runningOpenCl() {
        return net.kernel().isRunningCL();
    }

    @Override
    public void close() {
        net.close();
    }
}
