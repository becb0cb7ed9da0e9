package dev.bayesnf.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where a model comes from: how, where, when and on what it was trained. The model file keeps it
 * as text entries ({@code provenance.KEY=value}, {@link ModelFile}); this record is what the code
 * reads, each entry with its type. {@link #entries()} gives the entries as written, and
 * {@link #fromEntries} reads them back: entries read from a file come out again exactly as they
 * were read, so a model saved before this record existed loads and saves unchanged.
 *
 * <p>Each typed component is null when the model does not record it (snapshots during training
 * record only their epoch; files of older versions lack newer entries).
 *
 * @param seed the training seed ({@code seed})
 * @param backend the compute backend's id ({@code backend})
 * @param device the device the backend ran on ({@code device})
 * @param threads the training threads ({@code threads})
 * @param version this project's version that trained it ({@code bayesnf.version})
 * @param javaVersion the Java runtime's version ({@code java.version})
 * @param os the operating system and architecture ({@code os})
 * @param trainedAt when the training finished ({@code trained.at})
 * @param trainingSeconds the training's duration, written with 3 decimals ({@code training.seconds})
 * @param trainingRows the rows with a target value it was trained on ({@code training.rows})
 * @param trainingSource the name of the training data ({@code training.source})
 * @param finalLoss the members' mean loss at the last epoch or step ({@code final.loss})
 * @param targetScaling the target's scaling ({@code target.scaling})
 * @param trainingTimeLast the last training time as a raw time (period index for calendar time,
 *     else the number), for models with a time column ({@code training.time.last})
 * @param checkpointEpoch the epoch of a snapshot taken during training ({@code checkpoint.epoch})
 * @param residualKriging whether the residuals are kriged: "yes", "no", or "no (why)"
 *     ({@code residual.kriging})
 * @param more the entries not typed here (residual kriging's {@code cv.*} and {@code kriging.*},
 *     keys of other versions), and for a typed entry read from a file whose text is not the usual
 *     form of its value (e.g. {@code 5} for 5.0), that text, which is then written instead
 */
public record ModelProvenance(Long seed, String backend, String device, Integer threads, String version,
        String javaVersion, String os, Instant trainedAt, Double trainingSeconds, Integer trainingRows,
        String trainingSource, Float finalLoss, TargetScaling targetScaling, Double trainingTimeLast,
        Integer checkpointEpoch, String residualKriging, SortedMap<String, String> more) {

    /** Key of {@link #trainingTimeLast()}; models saved before it existed lack it. */
    public static final String TRAINING_TIME_LAST = "training.time.last";
    /** Key of {@link #residualKriging()}. */
    public static final String RESIDUAL_KRIGING = "residual.kriging";

    private static final ModelProvenance NONE = new ModelProvenance(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, new TreeMap<>());

    public ModelProvenance {
        more = Collections.unmodifiableSortedMap(new TreeMap<>(more == null ? Map.of() : more));
    }

    /** No provenance at all. */
    public static ModelProvenance none() {
        return NONE;
    }

    /** The provenance of a snapshot taken at {@code epoch} during training. */
    public static ModelProvenance checkpoint(int epoch) {
        return NONE.toBuilder().checkpointEpoch(epoch).build();
    }

    /** The entries as the model file keeps them (key without the {@code provenance.} prefix), sorted. */
    public SortedMap<String, String> entries() {
        SortedMap<String, String> e = new TreeMap<>();
        put(e, "seed", seed, String::valueOf);
        put(e, "backend", backend, Function.identity());
        put(e, "device", device, Function.identity());
        put(e, "threads", threads, String::valueOf);
        put(e, "bayesnf.version", version, Function.identity());
        put(e, "java.version", javaVersion, Function.identity());
        put(e, "os", os, Function.identity());
        put(e, "trained.at", trainedAt, Instant::toString);
        put(e, "training.seconds", trainingSeconds, ModelProvenance::seconds);
        put(e, "training.rows", trainingRows, String::valueOf);
        put(e, "training.source", trainingSource, Function.identity());
        put(e, "final.loss", finalLoss, String::valueOf);
        put(e, "target.scaling", targetScaling, TargetScaling::id);
        put(e, TRAINING_TIME_LAST, trainingTimeLast, String::valueOf);
        put(e, "checkpoint.epoch", checkpointEpoch, String::valueOf);
        put(e, RESIDUAL_KRIGING, residualKriging, Function.identity());
        e.putAll(more);
        return Collections.unmodifiableSortedMap(e);
    }

    /**
     * Reads entries as the model file keeps them. A typed entry whose text does not parse as its
     * type stays text (in {@link #more()}), with its typed component null.
     */
    public static ModelProvenance fromEntries(Map<String, String> entries) {
        SortedMap<String, String> rest = new TreeMap<>(entries);
        Builder b = NONE.toBuilder();
        b.seed = take(rest, "seed", Long::valueOf, String::valueOf);
        b.backend = take(rest, "backend", Function.identity(), Function.identity());
        b.device = take(rest, "device", Function.identity(), Function.identity());
        b.threads = take(rest, "threads", Integer::valueOf, String::valueOf);
        b.version = take(rest, "bayesnf.version", Function.identity(), Function.identity());
        b.javaVersion = take(rest, "java.version", Function.identity(), Function.identity());
        b.os = take(rest, "os", Function.identity(), Function.identity());
        b.trainedAt = take(rest, "trained.at", Instant::parse, Instant::toString);
        b.trainingSeconds = take(rest, "training.seconds", Double::valueOf, ModelProvenance::seconds);
        b.trainingRows = take(rest, "training.rows", Integer::valueOf, String::valueOf);
        b.trainingSource = take(rest, "training.source", Function.identity(), Function.identity());
        b.finalLoss = take(rest, "final.loss", Float::valueOf, String::valueOf);
        b.targetScaling = take(rest, "target.scaling", TargetScaling::parse, TargetScaling::id);
        b.trainingTimeLast = take(rest, TRAINING_TIME_LAST, Double::valueOf, String::valueOf);
        b.checkpointEpoch = take(rest, "checkpoint.epoch", Integer::valueOf, String::valueOf);
        b.residualKriging = take(rest, RESIDUAL_KRIGING, Function.identity(), Function.identity());
        return new ModelProvenance(b.seed, b.backend, b.device, b.threads, b.version, b.javaVersion, b.os,
                b.trainedAt, b.trainingSeconds, b.trainingRows, b.trainingSource, b.finalLoss, b.targetScaling,
                b.trainingTimeLast, b.checkpointEpoch, b.residualKriging, rest);
    }

    /** This provenance with {@code entries} added, replacing those of the same keys. */
    public ModelProvenance with(Map<String, String> entries) {
        SortedMap<String, String> all = new TreeMap<>(entries());
        all.putAll(entries);
        return fromEntries(all);
    }

    /** A builder holding this provenance's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The usual text of a training duration: seconds with 3 decimals. */
    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    private static <T> void put(Map<String, String> e, String key, T value, Function<T, String> text) {
        if (value != null) {
            e.put(key, text.apply(value));
        }
    }

    /**
     * Removes {@code key} from {@code rest} and returns its parsed value, leaving the text in
     * {@code rest} when it does not parse or is not the value's usual text (so that it is written
     * back as read).
     */
    private static <T> T take(Map<String, String> rest, String key, Function<String, T> parse,
            Function<T, String> text) {
        String s = rest.get(key);
        if (s == null) {
            return null;
        }
        T v;
        try {
            v = parse.apply(s);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return null;
        }
        if (text.apply(v).equals(s)) {
            rest.remove(key);
        }
        return v;
    }

    /** Builds a provenance entry by entry. Not thread-safe. */
    public static final class Builder {
        private Long seed;
        private String backend;
        private String device;
        private Integer threads;
        private String version;
        private String javaVersion;
        private String os;
        private Instant trainedAt;
        private Double trainingSeconds;
        private Integer trainingRows;
        private String trainingSource;
        private Float finalLoss;
        private TargetScaling targetScaling;
        private Double trainingTimeLast;
        private Integer checkpointEpoch;
        private String residualKriging;
        private SortedMap<String, String> more;

        private Builder(ModelProvenance p) {
            seed = p.seed;
            backend = p.backend;
            device = p.device;
            threads = p.threads;
            version = p.version;
            javaVersion = p.javaVersion;
            os = p.os;
            trainedAt = p.trainedAt;
            trainingSeconds = p.trainingSeconds;
            trainingRows = p.trainingRows;
            trainingSource = p.trainingSource;
            finalLoss = p.finalLoss;
            targetScaling = p.targetScaling;
            trainingTimeLast = p.trainingTimeLast;
            checkpointEpoch = p.checkpointEpoch;
            residualKriging = p.residualKriging;
            more = new TreeMap<>(p.more);
        }

        public Builder seed(long v) {
            seed = v;
            more.remove("seed");
            return this;
        }

        /** The compute backend's id and its device. */
        public Builder backend(String id, String dev) {
            backend = id;
            device = dev;
            more.remove("backend");
            more.remove("device");
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            more.remove("threads");
            return this;
        }

        /** This project's version and the running Java and operating system. */
        public Builder runtime(String projectVersion, String java, String system) {
            version = projectVersion;
            javaVersion = java;
            os = system;
            more.remove("bayesnf.version");
            more.remove("java.version");
            more.remove("os");
            return this;
        }

        public Builder trainedAt(Instant v) {
            trainedAt = v;
            more.remove("trained.at");
            return this;
        }

        public Builder trainingSeconds(double v) {
            trainingSeconds = v;
            more.remove("training.seconds");
            return this;
        }

        /** The rows trained on and the name of their data. */
        public Builder training(int rows, String source) {
            trainingRows = rows;
            trainingSource = source;
            more.remove("training.rows");
            more.remove("training.source");
            return this;
        }

        public Builder finalLoss(float v) {
            finalLoss = v;
            more.remove("final.loss");
            return this;
        }

        public Builder targetScaling(TargetScaling v) {
            targetScaling = v;
            more.remove("target.scaling");
            return this;
        }

        public Builder trainingTimeLast(double v) {
            trainingTimeLast = v;
            more.remove(TRAINING_TIME_LAST);
            return this;
        }

        public Builder checkpointEpoch(int v) {
            checkpointEpoch = v;
            more.remove("checkpoint.epoch");
            return this;
        }

        public Builder residualKriging(String v) {
            residualKriging = v;
            more.remove(RESIDUAL_KRIGING);
            return this;
        }

        /** An entry not typed here (residual kriging's {@code cv.*} and {@code kriging.*}). */
        public Builder put(String key, String value) {
            more.put(key, value);
            return this;
        }

        /** The provenance; an entry given with {@link #put} under a typed key counts as read from a file. */
        public ModelProvenance build() {
            return fromEntries(new ModelProvenance(seed, backend, device, threads, version, javaVersion, os, trainedAt,
                    trainingSeconds, trainingRows, trainingSource, finalLoss, targetScaling, trainingTimeLast,
                    checkpointEpoch, residualKriging, more).entries());
        }
    }
}
