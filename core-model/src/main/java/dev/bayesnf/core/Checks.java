package dev.bayesnf.core;

/**
 * Argument checks at the boundary of the model API. Every message names the argument and the
 * offending value, so that a user reading it knows what to change.
 *
 * <p>Stateless and thread-safe.
 */
public final class Checks {
    private Checks() {}

    /** Throws unless {@code value > 0}. */
    public static int ensurePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    /** Throws unless {@code value} is finite and {@code > 0}. */
    public static double ensurePositive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive finite number, got " + value);
        }
        return value;
    }

    /** Throws unless {@code value >= 0}. */
    public static int ensureNonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return value;
    }

    /** Throws unless {@code value} is finite. */
    public static double ensureFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    /** Throws unless {@code min <= value <= max} (NaN fails). */
    public static double ensureBetween(String name, double min, double max, double value) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(
                    name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
