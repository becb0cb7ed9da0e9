package dev.bayesnf.service.wms;

import java.util.Locale;
import java.util.Optional;

/**
 * The styles every WMS layer can be drawn in: {@link #MEAN}, the predictive mean (the default),
 * and {@link #UNCERTAINTY}, the width of the widest central predictive interval the layer's
 * quantile levels allow (offered only for layers with at least two quantile levels).
 */
public enum LayerStyle {
    MEAN("mean", ColorRamp.VIRIDIS),
    UNCERTAINTY("uncertainty", ColorRamp.YELLOW_RED);

    private final String id;
    private final ColorRamp ramp;

    LayerStyle(String id, ColorRamp ramp) {
        this.id = id;
        this.ramp = ramp;
    }

    /** The name used in {@code STYLES}/{@code STYLE} and the capabilities. */
    public String id() {
        return id;
    }

    public ColorRamp ramp() {
        return ramp;
    }

    /**
     * The style called {@code name} (case-insensitive); empty or {@code default} is
     * {@link #MEAN}.
     */
    public static Optional<LayerStyle> byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.isEmpty() || n.equals("default")) {
            return Optional.of(MEAN);
        }
        for (LayerStyle s : values()) {
            if (s.id.equals(n)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
