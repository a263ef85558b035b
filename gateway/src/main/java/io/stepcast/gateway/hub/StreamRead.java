package io.stepcast.gateway.hub;

/**
 * The one Redis read a {@link PlanStream} has in flight (its snapshot, or a log page after its
 * position): each read gets a new token, a result carrying any other token is stale and ignored, and
 * consecutive failures set the retry back-off (50 ms doubling to 5 s).
 *
 * <p>Invariant: at most one read is current ({@link #inFlight()}); issuing one makes any earlier one
 * stale. Not thread-safe: guarded, like its stream, by the owning {@link PlanChannel}'s lock. No I/O:
 * a read is an {@link Action} added to the call's {@link Effects}.
 */
final class StreamRead {

    /** Token source; never reset, so a result from before a {@link #reset()} stays stale. */
    private long tokens;
    /** Token of the read in flight; 0 = none. */
    private long current;
    /** Consecutive failed reads (retry back-off). */
    private int failures;

    boolean inFlight() {
        return current != 0;
    }

    /** Issues a snapshot read of the plan (for the stream, not for joiners). */
    void snapshot(Effects out) {
        current = ++tokens;
        out.add(new Action.ReadSnapshot(current, false));
    }

    /** Issues a read of the log after {@code seq}. */
    void log(long seq, Effects out) {
        current = ++tokens;
        out.add(new Action.ReadLog(current, null, seq));
    }

    /** A result of {@code token} arrived: true when it is the current read (which then succeeded). */
    boolean completed(long token) {
        if (token != current) {
            return false;
        }
        current = 0;
        failures = 0;
        return true;
    }

    /** A read of {@code token} failed: the retry delay in milliseconds, or -1 when it was stale. */
    long failed(long token) {
        if (token != current) {
            return -1;
        }
        current = 0;
        failures++;
        return Math.min(5_000, 50L << Math.min(failures, 7));
    }

    /** True when the failure just counted should be logged: the first, then every 20th. */
    boolean worthLogging() {
        return failures == 1 || failures % 20 == 0;
    }

    /** Forgets the read in flight (its result will be stale) and the failures. */
    void reset() {
        current = 0;
        failures = 0;
    }
}
