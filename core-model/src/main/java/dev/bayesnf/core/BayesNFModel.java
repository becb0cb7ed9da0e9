package dev.bayesnf.core;

import dev.bayesnf.core.kriging.ResidualKriging;
import java.util.Map;
import java.util.Optional;

/**
 * A fitted BayesNF model: what it is ({@link ModelSpec}), how it was fitted ({@link TrainConfig}),
 * the training statistics ({@link TrainingStatistics}), the layout derived from them, and the
 * parameters of every mixture component (one per particle for MAP/MLE; for VI one per posterior
 * sample of every surrogate, spec §6.3), with the loss trace and provenance, and optionally the
 * kriging of its residuals ({@link HybridTrainer}), which predictions add to every component.
 *
 * <p>Immutable and thread-safe (arrays are copied on the way in and out).
 */
public final class BayesNFModel {
    private final ModelSpec spec;
    private final TrainConfig config;
    private final TrainingStatistics stats;
    private final FeatureLayout layout;
    private final float[][] components;
    private final float[][] losses;
    private final ModelProvenance provenance;
    private final Georeference georeference;
    private final ResidualKriging kriging;
    /** The network the kriged residuals are about, when it is not this model's (null: it is). */
    private final float[][] trend;
    /** The hybrid at places the training never observed, when it differs (null: {@link #kriging} everywhere). */
    private final NewPlacesHybrid newPlaces;

    /** @param provenance the provenance entries as the model file keeps them ({@link ModelProvenance#entries}) */
    public BayesNFModel(ModelSpec spec, TrainConfig config, TrainingStatistics stats, float[][] components,
            float[][] losses, Map<String, String> provenance) {
        this(spec, config, stats, components, losses, provenance, null);
    }

    /**
     * @param georeference the spatial coordinate columns and their CRS, or null when the model
     *     is not georeferenced (points only, no rasters)
     */
    public BayesNFModel(ModelSpec spec, TrainConfig config, TrainingStatistics stats, float[][] components,
            float[][] losses, Map<String, String> provenance, Georeference georeference) {
        this(spec, config, stats, components, losses, ModelProvenance.fromEntries(provenance), georeference, null);
    }

    /**
     * @param kriging the kriging of the residuals (in the target's scaled units, at raw
     *     coordinates and raw times), or null; needs a georeference
     */
    public BayesNFModel(ModelSpec spec, TrainConfig config, TrainingStatistics stats, float[][] components,
            float[][] losses, ModelProvenance provenance, Georeference georeference, ResidualKriging kriging) {
        this(spec, config, stats, components, losses, provenance, georeference, kriging, null);
    }

    /**
     * @param trend the parameters of the network whose residuals {@code kriging} holds, in this
     *     model's layout, when that is not this model's own network (the hybrid's trend of fewer
     *     epochs, {@link HybridTrainer}); null when it is, or without kriging
     */
    public BayesNFModel(ModelSpec spec, TrainConfig config, TrainingStatistics stats, float[][] components,
            float[][] losses, ModelProvenance provenance, Georeference georeference, ResidualKriging kriging,
            float[][] trend) {
        this(spec, config, stats, components, losses, provenance, georeference, kriging, trend, null);
    }

    /**
     * @param newPlaces the hybrid at places the training never observed, when it differs from
     *     {@code kriging} with {@code trend} (null: that one everywhere); needs {@code kriging}
     */
    public BayesNFModel(ModelSpec spec, TrainConfig config, TrainingStatistics stats, float[][] components,
            float[][] losses, ModelProvenance provenance, Georeference georeference, ResidualKriging kriging,
            float[][] trend, NewPlacesHybrid newPlaces) {
        if (newPlaces != null && kriging == null) {
            throw new IllegalArgumentException("a hybrid for new places belongs to residual kriging");
        }
        this.newPlaces = newPlaces;
        if (kriging != null && georeference == null) {
            throw new IllegalArgumentException("residual kriging needs the model's coordinate columns");
        }
        if (trend != null && kriging == null) {
            throw new IllegalArgumentException("a trend network belongs to residual kriging");
        }
        this.kriging = kriging;
        this.trend = trend == null ? null : deepCopy(trend);
        this.spec = spec;
        this.config = config;
        this.stats = stats;
        this.layout = spec.layout(stats);
        this.components = deepCopy(components);
        this.losses = deepCopy(losses);
        this.provenance = provenance == null ? ModelProvenance.none() : provenance;
        this.georeference = georeference;
        if (georeference != null && (!spec.features().contains(georeference.x())
                || !spec.features().contains(georeference.y()))) {
            throw new IllegalArgumentException("coordinate columns " + georeference.x() + ", "
                    + georeference.y() + " are not among the features " + spec.features());
        }
        for (float[][] set : trend == null ? new float[][][] {components} : new float[][][] {components, trend}) {
            for (float[] c : set) {
                if (c.length != layout.parameterCount()) {
                    throw new IllegalArgumentException("component has " + c.length
                            + " parameters, the layout needs " + layout.parameterCount());
                }
            }
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public TrainConfig config() {
        return config;
    }

    public TrainingStatistics stats() {
        return stats;
    }

    public FeatureLayout layout() {
        return layout;
    }

    /** Number of mixture components. */
    public int componentCount() {
        return components.length;
    }

    /** Parameters of every mixture component (copies). */
    public float[][] components() {
        return deepCopy(components);
    }

    /** Loss trace per member and epoch (VI: per step, multiplied by the KL weight). */
    public float[][] losses() {
        return deepCopy(losses);
    }

    /**
     * Provenance entries as the model file keeps them (sorted): seed, backend, device, versions,
     * training time, final loss, …
     */
    public Map<String, String> provenance() {
        return provenance.entries();
    }

    /** The provenance, typed ({@link #provenance()} is its entries). */
    public ModelProvenance provenanceRecord() {
        return provenance;
    }

    /** The spatial coordinate columns and their CRS, when known. */
    public Optional<Georeference> georeference() {
        return Optional.ofNullable(georeference);
    }

    /** The kriging of this model's residuals, when it has one. */
    public Optional<ResidualKriging> residualKriging() {
        return Optional.ofNullable(kriging);
    }

    /**
     * The parameters of every component of the network the kriged residuals are about (copies),
     * when that is not this model's own network: the hybrid's trend, trained for the epochs its
     * cross-validation chose, where {@link #components()} were trained for all the configured
     * epochs (docs/MODEL.md, "Residual kriging").
     */
    public Optional<float[][]> trendComponents() {
        return Optional.ofNullable(trend).map(BayesNFModel::deepCopy);
    }

    /**
     * The hybrid at places the training never observed, when it differs from the one at observed
     * places ({@link #residualKriging()} with {@link #trendComponents()}, which is used everywhere
     * otherwise).
     */
    public Optional<NewPlacesHybrid> newPlaces() {
        return Optional.ofNullable(newPlaces);
    }

    /** This model with another georeference (null for none; then without residual kriging). */
    public BayesNFModel withGeoreference(Georeference g) {
        return new BayesNFModel(spec, config, stats, components, losses, provenance, g, g == null ? null : kriging,
                g == null ? null : trend, g == null ? null : newPlaces);
    }

    /** This model with {@code h} as its hybrid at new places (null: the observed places' one everywhere). */
    public BayesNFModel withNewPlaces(NewPlacesHybrid h) {
        return new BayesNFModel(spec, config, stats, components, losses, provenance, georeference, kriging, trend, h);
    }

    /**
     * This model with another residual kriging (null for none), about this model's own network,
     * used at every place (no separate hybrid for new places).
     */
    public BayesNFModel withResidualKriging(ResidualKriging k) {
        return new BayesNFModel(spec, config, stats, components, losses, provenance, georeference, k);
    }

    /**
     * This model with another residual kriging whose residuals are about the network of
     * {@code trendComponents} (null: about this model's own network), used at every place (no
     * separate hybrid for new places).
     */
    public BayesNFModel withResidualKriging(ResidualKriging k, float[][] trendComponents) {
        return new BayesNFModel(spec, config, stats, components, losses, provenance, georeference, k, trendComponents);
    }

    /** This model with more provenance entries (replacing those of the same keys). */
    public BayesNFModel withProvenance(Map<String, String> more) {
        return withProvenance(provenance.with(more));
    }

    /** This model with another provenance. */
    public BayesNFModel withProvenance(ModelProvenance p) {
        return new BayesNFModel(spec, config, stats, components, losses, p, georeference, kriging, trend, newPlaces);
    }

    static float[][] deepCopy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
