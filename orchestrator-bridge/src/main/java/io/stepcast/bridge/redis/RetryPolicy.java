package io.stepcast.bridge.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.stepcast.bridge.BridgeException;
import io.stepcast.bridge.RedisAccessException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/** Which failures are transient, and how long to wait before the next attempt. Stateless. */
final class RetryPolicy {

    /**
     * Redis error prefixes that mean "try again later". MOVED/ASK reach the publisher only on a
     * cluster node connection it addressed itself (wait-replicas): the next attempt goes to the slot's
     * owner after the topology refresh. A WAIT sent to a master that meanwhile became a replica is refused: retried likewise. A script refused a key of a slot being migrated: the publish
     * script reads all such keys before its first write, so nothing was written and it can run again.
     * UNBLOCKED: a WAIT interrupted because its master became a replica (manual failover); the retry
     * goes to the new master and dedupes by event id.
     */
    private static final List<String> TRANSIENT_ERRORS = List.of(
            "BUSY",
            "LOADING",
            "READONLY",
            "MASTERDOWN",
            "TRYAGAIN",
            "CLUSTERDOWN",
            "NOREPLICAS",
            "OOM",
            "MOVED",
            "ASK",
            "UNBLOCKED",
            "ERR WAIT cannot be used with replica instances",
            "ERR Script attempted to access a non local key");

    private final Duration min;
    private final Duration max;

    RetryPolicy(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    /** The cause behind completion wrappers. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The refusal behind {@code failure} that no retry can fix, or null ({@link RedisRefusals}). */
    static RedisAccessException accessFailure(Throwable failure) {
        return RedisRefusals.classify(unwrap(failure));
    }

    /**
     * What a failure that is not retried becomes for the caller: the refusal ({@link #accessFailure},
     * passed in), the bridge's own error, or a {@link BridgeException} naming the plan.
     */
    static BridgeException finalFailure(String planId, Throwable failure, RedisAccessException refused) {
        if (refused != null) {
            return refused;
        }
        Throwable cause = unwrap(failure);
        return cause instanceof BridgeException b
                ? b
                : new BridgeException("publish to plan " + planId + " failed: " + cause.getMessage(), cause);
    }

    /** True for connection loss, timeouts, rejection while disconnected and transient Redis errors. */
    static boolean isTransient(Throwable failure) {
        if (accessFailure(failure) != null) {
            return false;
        }
        Throwable t = unwrap(failure);
        if (t instanceof RedisCommandExecutionException) {
            String msg = t.getMessage() == null ? "" : t.getMessage();
            return TRANSIENT_ERRORS.stream().anyMatch(msg::startsWith);
        }
        return t instanceof RedisException
                || t instanceof IOException
                || t instanceof TimeoutException
                || t instanceof CancellationException;
    }

    /** True when the script is not cached in Redis (run it with EVAL instead). */
    static boolean isNoScript(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof RedisCommandExecutionException
                && t.getMessage() != null
                && t.getMessage().startsWith("NOSCRIPT");
    }

    /** Delay before attempt {@code failures + 1}: min·2^(failures-1), capped at max, ±25 % jitter. */
    long delayMillis(int failures) {
        long base = min.toMillis();
        int shift = Math.min(Math.max(failures - 1, 0), 30);
        long delay = Math.min(max.toMillis(), base << shift);
        long jitter = delay / 4;
        return Math.max(
                1, delay - jitter + (jitter > 0 ? ThreadLocalRandom.current().nextLong(2 * jitter + 1) : 0));
    }
}
