package io.stepcast.bridge.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stepcast.bridge.RedisAccessException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Assertions on a publish that Redis refuses for good (credentials, ACL, TLS). */
public final class Refusals {

    private Refusals() {}

    /**
     * Waits (bounded: a publisher that retried a refusal would never complete) until {@code publish}
     * fails, and returns its {@link RedisAccessException}; fails the test on any other outcome.
     */
    public static RedisAccessException awaitRefusal(CompletableFuture<?> publish) {
        await().atMost(Duration.ofSeconds(30)).until(publish::isDone);
        CompletionException e = assertThrows(CompletionException.class, publish::join);
        return assertInstanceOf(RedisAccessException.class, e.getCause(), e::toString);
    }
}
