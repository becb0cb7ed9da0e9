package dev.bayesnf.core.compute;

/**
 * The whole ensemble's training state on one backend: for K members, the state (θ, or (μ, ρ) for
 * VI) and the Adam moments, resident wherever the backend keeps them (device memory for OpenCL).
 * One {@link #step} runs the forward pass, loss, backward pass and Adam update of every member.
 *
 * <p>Batches: {@code rows[k]} lists the training rows of member k's batch; when
 * {@code rows.length == 1} all members share {@code rows[0]} (VI). VI noise is drawn inside the
 * engine from a counter-based generator keyed by (noiseSeed, member, sample, element), see
 * {@link CounterNormal}, so every backend draws the same ε without copying it.
 *
 * <p>Not thread-safe: one caller drives an engine. Results are deterministic for a given backend
 * and thread count.
 */
public interface TrainingEngine extends AutoCloseable {
    /** Number of ensemble members K. */
    int members();

    /** Replaces the state of all members ({@code state[k]} has {@link Objective#stateSize} values) and resets Adam. */
    void setState(float[][] state);

    /** A copy of the current state of all members. */
    float[][] state();

    /**
     * Computes every member's loss and gradient on its batch and applies one Adam update.
     *
     * @param rows batch rows per member, or one shared batch
     * @param noiseSeed VI noise key for this step (ignored for point estimates)
     * @param lossOut receives the K losses at the pre-update state
     */
    void step(int[][] rows, long noiseSeed, float[] lossOut);

    /** Computes losses and gradients with respect to the state without updating it (for tests). */
    void lossAndGradient(int[][] rows, long noiseSeed, float[] lossOut, float[][] gradOut);

    @Override
    void close();
}
