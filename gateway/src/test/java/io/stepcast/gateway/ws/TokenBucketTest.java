package io.stepcast.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstThenRefillAtTheRateThenAbuse() {
        TokenBucket b = new TokenBucket(new RateLimitConfig(10, 3, 4, Duration.ofSeconds(10)), 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(TokenBucket.Verdict.ALLOWED, b.acquire(0));
        }
        assertEquals(TokenBucket.Verdict.DROPPED, b.acquire(0));
        assertEquals(TokenBucket.Verdict.ALLOWED, b.acquire(SECOND / 10), "one token per 100 ms");
        assertEquals(TokenBucket.Verdict.DROPPED, b.acquire(SECOND / 10));
        assertEquals(TokenBucket.Verdict.DROPPED, b.acquire(SECOND / 10));
        assertEquals(TokenBucket.Verdict.DROPPED, b.acquire(SECOND / 10));
        assertEquals(TokenBucket.Verdict.ABUSIVE, b.acquire(SECOND / 10), "5th drop in the window");
    }

    @Test
    void dropsOutsideTheAbuseWindowAreForgiven() {
        TokenBucket b = new TokenBucket(new RateLimitConfig(1, 1, 2, Duration.ofSeconds(1)), 0);
        assertEquals(TokenBucket.Verdict.ALLOWED, b.acquire(0));
        assertEquals(TokenBucket.Verdict.DROPPED, b.acquire(1));
        assertEquals(TokenBucket.Verdict.DROPPED, b.acquire(2));
        assertEquals(TokenBucket.Verdict.ALLOWED, b.acquire(3 * SECOND));
        assertEquals(TokenBucket.Verdict.DROPPED, b.acquire(3 * SECOND + 1), "new window");
        assertEquals(TokenBucket.Verdict.DROPPED, b.acquire(3 * SECOND + 2));
        assertEquals(TokenBucket.Verdict.ABUSIVE, b.acquire(3 * SECOND + 3));
    }
}
