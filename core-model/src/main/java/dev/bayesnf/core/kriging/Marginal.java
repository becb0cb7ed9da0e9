package dev.bayesnf.core.kriging;

import java.util.Locale;

/**
 * Correlation functions ρ(h; a) of one distance (a spatial distance, a time lag, or a space-time
 * metric distance), each valid (positive definite) in up to three dimensions. The range a is a
 * scale: the exponential falls to 1/e at h = a (its practical range is 3a, as gstat's
 * {@code Exp}); the spherical reaches 0 at h = a; the Matérn functions of smoothness 3/2 and 5/2
 * are written in the scaling of Handcock and Wallis, ρ(h) = f(√(2ν)·h/a), so their ranges compare
 * with the exponential's (the exponential is the Matérn of smoothness 1/2).
 */
public enum Marginal {
    /** exp(-h/a). */
    EXPONENTIAL("exp"),
    /** 1 - 1.5 h/a + 0.5 (h/a)³ for h < a, else 0. */
    SPHERICAL("sph"),
    /** Matérn, smoothness 3/2: (1 + s) e^{-s}, s = √3 h/a. */
    MATERN_3_2("mat32"),
    /** Matérn, smoothness 5/2: (1 + s + s²/3) e^{-s}, s = √5 h/a. */
    MATERN_5_2("mat52");

    private static final double SQRT3 = Math.sqrt(3);
    private static final double SQRT5 = Math.sqrt(5);

    private final String id;

    Marginal(String id) {
        this.id = id;
    }

    /** The short name used in files and documents: exp, sph, mat32, mat52. */
    public String id() {
        return id;
    }

    /** ρ(h; range), with ρ(0) = 1. */
    public double correlation(double h, double range) {
        double x = h / range;
        switch (this) {
            case EXPONENTIAL:
                return Math.exp(-x);
            case SPHERICAL:
                return x >= 1 ? 0 : 1 - x * (1.5 - 0.5 * x * x);
            case MATERN_3_2: {
                double s = SQRT3 * x;
                return (1 + s) * Math.exp(-s);
            }
            default: {
                double s = SQRT5 * x;
                return (1 + s + s * s / 3) * Math.exp(-s);
            }
        }
    }

    /** Parses a short name (exp, sph, mat32, mat52). */
    public static Marginal parse(String id) {
        String l = id.trim().toLowerCase(Locale.ROOT);
        for (Marginal m : values()) {
            if (m.id.equals(l)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown variogram marginal '" + id + "' (expected exp, sph, mat32 or mat52)");
    }
}
