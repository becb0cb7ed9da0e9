package dev.bayesnf.opencl;

import com.aparapi.device.OpenCLDevice;
import dev.bayesnf.core.FeatureLayout;
import dev.bayesnf.core.ObservationModel;
import dev.bayesnf.core.compute.Objective;
import dev.bayesnf.core.compute.TrainingData;
import dev.bayesnf.core.compute.TrainingEngine;

/**
 * The OpenCL {@link TrainingEngine}: the state and Adam moments of all K members, the training
 * table and the activations live on the device; a step uploads the batch row indices and
 * downloads K losses.
 *
 * <p>Supports point estimates (MAP, MLE) with the NORMAL likelihood.
 *
 * <p>Not thread-safe.
 */
final class OpenClTrainingEngine implements TrainingEngine {
    private final Objective objective;
    private final int members;
    private final int q;
    private final DeviceNetwork net;
    private int t;

    OpenClTrainingEngine(OpenCLDevice device, FeatureLayout layout, Objective objective, TrainingData data,
            int members) {
        if (objective.variational() || objective.likelihood() != ObservationModel.NORMAL) {
            throw new UnsupportedOperationException("the OpenCL backend trains MAP and MLE ensembles with"
                    + " the NORMAL likelihood so far; use --device java for "
                    + (objective.variational() ? "VI" : objective.likelihood() + " likelihood"));
        }
        if (members < 1) {
            throw new IllegalArgumentException("members must be at least 1, got " + members);
        }
        this.objective = objective;
        this.members = members;
        this.q = objective.stateSize(layout.parameterCount());
        this.net = new DeviceNetwork(device, layout, members, q, data.x(), data.seasonal(), data.y(), true,
                DeviceNetwork.DEFAULT_MAX_ACTIVATION_FLOATS);
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
        compute(rows);
        t++;
        float c1 = (float) (1 - Math.pow(Objective.BETA1, t));
        float c2 = (float) (1 - Math.pow(Objective.BETA2, t));
        net.adam((float) objective.learningRate(), c1, c2);
        System.arraycopy(net.losses(), 0, lossOut, 0, members);
    }

    @Override
    public void lossAndGradient(int[][] rows, long noiseSeed, float[] lossOut, float[][] gradOut) {
        compute(rows);
        System.arraycopy(net.losses(), 0, lossOut, 0, members);
        float[][] g = net.gradients();
        for (int k = 0; k < members; k++) {
            System.arraycopy(g[k], 0, gradOut[k], 0, q);
        }
    }

    private void compute(int[][] rows) {
        if (rows.length != 1 && rows.length != members) {
            throw new IllegalArgumentException("batches: expected 1 or " + members + ", got " + rows.length);
        }
        int b = net.putRows(rows);
        float scale = (float) ((double) objective.datasetRows() / b);
        net.lossAndGradient(b, scale, (float) objective.priorWeight());
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
