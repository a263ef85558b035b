package io.stepcast.gateway.ws;

/**
 * Per-connection token bucket for client messages, plus an abuse counter.
 *
 * <p>Not thread-safe: owned by one connection and used only on its event loop. Time is passed in
 * (nanoseconds, monotonic) so behaviour is deterministic in tests.
 */
final class TokenBucket {

    /** What to do with one message. */
    enum Verdict {
        /** Process it. */
        ALLOWED,
        /** Drop it and answer {@code rate_limited}. */
        DROPPED,
        /** Drop it and close the connection (4029): too many drops within the abuse window. */
        ABUSIVE
    }

    private final double ratePerNano;
    private final double capacity;
    private final int abuseThreshold;
    private final long abuseWindowNanos;

    /** Tokens available, 0..capacity. */
    private double tokens;
    /** When {@link #tokens} was last refilled. */
    private long refilledAt;
    /** Start of the current abuse window. */
    private long windowStart;
    /** Messages dropped since {@link #windowStart}. */
    private int droppedInWindow;

    TokenBucket(RateLimitConfig config, long nowNanos) {
        this.ratePerNano = config.messagesPerSecond() / 1e9;
        this.capacity = config.burst();
        this.abuseThreshold = config.abuseThreshold();
        this.abuseWindowNanos = config.abuseWindow().toNanos();
        this.tokens = capacity;
        this.refilledAt = nowNanos;
        this.windowStart = nowNanos;
    }

    Verdict acquire(long nowNanos) {
        long elapsed = nowNanos - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
            refilledAt = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ALLOWED;
        }
        if (nowNanos - windowStart > abuseWindowNanos) {
            windowStart = nowNanos;
            droppedInWindow = 0;
        }
        droppedInWindow++;
        return droppedInWindow > abuseThreshold ? Verdict.ABUSIVE : Verdict.DROPPED;
    }
}
