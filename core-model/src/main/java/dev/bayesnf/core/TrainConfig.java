package dev.bayesnf.core;

/**
 * How to fit (spec §6): the estimator, the ensemble and the optimiser.
 *
 * @param estimator MAP, MLE or VI
 * @param ensemble total number of particles (MAP/MLE) or surrogates (VI) — always the total
 * @param epochs MAP/MLE: passes over the data, each of floor(N/batch) steps; VI: the step count
 *     is epochs · floor(N/batch), as in the reference
 * @param batch rows per step; 0 means the full data
 * @param learningRate Adam step size
 * @param seed random seed
 * @param klWeight VI: weight of the KL term (the likelihood is divided by it)
 * @param mcSamples VI: Monte Carlo samples per step
 * @param posteriorSamples VI: parameter samples drawn from each surrogate after training
 * @param threads worker threads for CPU backends (0 = all processors)
 */
public record TrainConfig(Estimator estimator, int ensemble, int epochs, int batch,
        double learningRate, long seed, double klWeight, int mcSamples, int posteriorSamples,
        int threads) {

    public TrainConfig {
        if (estimator == null) {
            throw new IllegalArgumentException("the estimator is required");
        }
        Checks.ensurePositive("ensemble", ensemble);
        Checks.ensurePositive("epochs", epochs);
        Checks.ensureNonNegative("batch", batch);
        Checks.ensurePositive("learning rate", learningRate);
        Checks.ensurePositive("kl weight", klWeight);
        Checks.ensurePositive("Monte Carlo samples", mcSamples);
        Checks.ensurePositive("posterior samples", posteriorSamples);
        Checks.ensureNonNegative("threads", threads);
    }

    /** The reference's defaults for an estimator (ensemble 16; MAP/MLE 5000 epochs lr 0.005, VI 1000 epochs lr 0.01). */
    public static TrainConfig defaults(Estimator estimator) {
        return new TrainConfig(estimator, 16, estimator == Estimator.VI ? 1000 : 5000, 0,
                estimator.defaultLearningRate(), 0, 0.1, 5, 30, 0);
    }

    public TrainConfig withEnsemble(int n) {
        return new TrainConfig(estimator, n, epochs, batch, learningRate, seed, klWeight, mcSamples, posteriorSamples, threads);
    }

    public TrainConfig withEpochs(int n) {
        return new TrainConfig(estimator, ensemble, n, batch, learningRate, seed, klWeight, mcSamples, posteriorSamples, threads);
    }

    public TrainConfig withBatch(int n) {
        return new TrainConfig(estimator, ensemble, epochs, n, learningRate, seed, klWeight, mcSamples, posteriorSamples, threads);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(estimator, ensemble, epochs, batch, learningRate, s, klWeight, mcSamples, posteriorSamples, threads);
    }

    public TrainConfig withThreads(int n) {
        return new TrainConfig(estimator, ensemble, epochs, batch, learningRate, seed, klWeight, mcSamples, posteriorSamples, n);
    }

    public TrainConfig withLearningRate(double lr) {
        return new TrainConfig(estimator, ensemble, epochs, batch, lr, seed, klWeight, mcSamples, posteriorSamples, threads);
    }
}
