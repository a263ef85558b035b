package io.stepcast.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisAccessException;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.Refusals;
import io.stepcast.bridge.testing.Resp;
import io.stepcast.bridge.testing.TestRedis;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A publisher whose credentials Redis refuses fails the publish with a typed
 * {@link RedisAccessException} instead of buffering and retrying forever, while a Redis that is merely
 * down is still waited for.
 */
class AccessFailureIT {

    private static final String PASSWORD = "secret-access-it";
    private static RedisProcess redis;

    @BeforeAll
    static void start() throws IOException {
        redis = TestRedis.startThrowaway(RedisProcess.Options.defaults());
        Resp.call("127.0.0.1", redis.port(), 5_000, "ACL", "SETUSER", "reader", "on", ">reader-pw", "~*", "+@read");
        Resp.call("127.0.0.1", redis.port(), 5_000, "CONFIG", "SET", "requirepass", PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    private static RedisAccessException failure(String uri) {
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(uri, BridgeConfig.defaults())) {
            CompletableFuture<PublishResult> f =
                    publisher.publish(RedisInspector.newPlanId(), new PlanStarted("refused", List.of("a")));
            // bounded wait: before refused credentials were typed, the publisher retried them forever
            return Refusals.awaitRefusal(f);
        }
    }

    @Test
    void aMissingPasswordFailsThePublishWithAnAuthenticationErrorInsteadOfRetrying() {
        RedisAccessException e = failure(redis.uri());
        assertEquals(RedisAccessException.Kind.AUTHENTICATION, e.kind());
        assertTrue(e.getMessage().contains("NOAUTH"), e.getMessage());
    }

    @Test
    void aWrongPasswordFailsThePublishWithAnAuthenticationErrorInsteadOfRetrying() {
        RedisAccessException e = failure("redis://default:wrong@127.0.0.1:" + redis.port());
        assertEquals(RedisAccessException.Kind.AUTHENTICATION, e.kind());
        assertTrue(e.getMessage().contains("WRONGPASS"), e.getMessage());
    }

    @Test
    void aUserWithoutPermissionForTheScriptFailsWithAnAuthorizationError() {
        RedisAccessException e = failure("redis://reader:reader-pw@127.0.0.1:" + redis.port());
        assertEquals(RedisAccessException.Kind.AUTHORIZATION, e.kind());
        assertTrue(e.getMessage().contains("NOPERM"), e.getMessage());
    }

    @Test
    void theRightPasswordPublishes() {
        try (LettuceEventPublisher publisher =
                LettuceEventPublisher.create("redis://default:" + PASSWORD + "@127.0.0.1:" + redis.port())) {
            PublishResult r = publisher
                    .publish(RedisInspector.newPlanId(), new PlanStarted("ok", List.of("a")))
                    .join();
            assertEquals(1, r.seq());
        }
    }
}
