package dev.bayesnf.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket per caller, on a clock the test moves. */
class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstThenRefillAtTheRate() {
        AtomicLong now = new AtomicLong(5 * SECOND);
        RateLimiter r = new RateLimiter(6, now::get);
        for (int i = 0; i < 6; i++) {
            assertEquals(0, r.acquire("a"), "request " + i);
        }
        // empty: one token comes back every 10 s
        assertEquals(10, r.acquire("a"));
        now.addAndGet(4 * SECOND);
        assertEquals(6, r.acquire("a"));
        // another caller has a bucket of its own
        assertEquals(0, r.acquire("b"));
        now.addAndGet(6 * SECOND);
        assertEquals(0, r.acquire("a"));
        assertEquals(10, r.acquire("a"));
        // a long pause refills to the burst, not beyond
        now.addAndGet(3600 * SECOND);
        for (int i = 0; i < 6; i++) {
            assertEquals(0, r.acquire("a"), "after the pause, request " + i);
        }
        assertEquals(10, r.acquire("a"));
    }

    @Test
    void zeroMeansNoLimitAndNegativeIsRefused() {
        RateLimiter r = new RateLimiter(0, () -> 0);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, r.acquire("a"));
        }
        assertEquals(0, r.callers());
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(-1));
    }

    @Test
    void fullBucketsAreSweptWhenManyCallersCame() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter r = new RateLimiter(60, now::get);
        for (int i = 0; i <= 10_000; i++) {
            r.acquire("address:" + i);
        }
        now.addAndGet(120 * SECOND);
        r.acquire("late");
        assertEquals(1, r.callers());
    }
}
