package dev.bayesnf.core.compute;

/**
 * A counter-based standard normal generator: {@code normal(key, counter)} is a pure function, so
 * any backend (a GPU work-item included) draws the same value for the same (key, counter) without
 * state or copies. SplitMix64 finalisers hash the pair into 53-bit uniforms; Box-Muller turns two
 * of them into one normal.
 *
 * <p>Stateless and thread-safe.
 */
public final class CounterNormal {
    private CounterNormal() {}

    /** SplitMix64's finaliser (Steele, Lea, Flood 2014). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Key of (seed, member, sample): counters of one key are the parameter element indices. */
    public static long key(long seed, int member, int sample) {
        return mix(mix(seed + 0x9e3779b97f4a7c15L * (member + 1)) + 0x632be59bd9b4e019L * (sample + 1));
    }

    /** A standard normal draw for (key, counter). */
    public static double normal(long key, long counter) {
        long a = mix(key + 0x9e3779b97f4a7c15L * (2 * counter + 1));
        long b = mix(key + 0x9e3779b97f4a7c15L * (2 * counter + 2));
        double u1 = ((a >>> 11) + 1) * 0x1.0p-53; // (0, 1]
        double u2 = (b >>> 11) * 0x1.0p-53; // [0, 1)
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
