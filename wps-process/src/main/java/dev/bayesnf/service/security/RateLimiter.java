package dev.bayesnf.service.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller ({@link Principal#caller}): each holds up to {@code perMinute}
 * tokens, refilled at {@code perMinute} a minute, and a request takes one. A caller may so make
 * {@code perMinute} requests at once and keeps that rate on average; a request without a token is
 * refused with the seconds until one is there (for {@code Retry-After}).
 *
 * <p>Buckets that have refilled completely are dropped when the map grows past
 * {@value #SWEEP_AT} callers (a full bucket and a missing one mean the same), so a stream of new
 * addresses cannot grow it without bound. Thread-safe.
 */
public final class RateLimiter {
    private static final int SWEEP_AT = 10_000;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Tokens at a time: refilled lazily from the time of the last update. */
    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    /**
     * @param perMinute requests per caller and minute, in bursts of as many; 0 for no limit
     */
    public RateLimiter(int perMinute) {
        this(perMinute, System::nanoTime);
    }

    /** As {@link #RateLimiter(int)}, with a clock for tests. */
    RateLimiter(int perMinute, LongSupplier nanos) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("requests per minute must not be negative, got " + perMinute);
        }
        this.perMinute = perMinute;
        this.nanos = nanos;
    }

    /**
     * Takes one token of {@code caller}'s bucket.
     *
     * @return 0 when granted, else the whole seconds (at least 1) until a token is there
     */
    public long acquire(String caller) {
        if (perMinute == 0) {
            return 0;
        }
        long now = nanos.getAsLong();
        if (buckets.size() > SWEEP_AT) {
            buckets.values().removeIf(b -> {
                synchronized (b) {
                    return refill(b, now) >= perMinute;
                }
            });
        }
        Bucket b = buckets.computeIfAbsent(caller, k -> new Bucket(perMinute, now));
        synchronized (b) {
            double t = refill(b, now);
            if (t >= 1) {
                b.tokens = t - 1;
                return 0;
            }
            double nanosToOne = (1 - t) * MINUTE_NANOS / perMinute;
            return Math.max(1, (long) Math.ceil(nanosToOne / 1e9));
        }
    }

    /** Brings {@code b} up to {@code now}; the caller holds its lock. */
    private double refill(Bucket b, long now) {
        long dt = Math.max(0, now - b.updated);
        b.tokens = Math.min(perMinute, b.tokens + (double) dt * perMinute / MINUTE_NANOS);
        b.updated = now;
        return b.tokens;
    }

    /** Callers with a bucket (for tests). */
    int callers() {
        return buckets.size();
    }
}
