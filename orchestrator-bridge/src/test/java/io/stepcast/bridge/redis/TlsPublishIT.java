package io.stepcast.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisAccessException;
import io.stepcast.bridge.RedisTls;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.Refusals;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.bridge.testing.TestTls;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The publisher over TLS to a redis-server with a private CA: with the CA file (and a client
 * certificate where the server requires one) events are published; a wrong CA or a missing client
 * certificate fails the publish fast with {@link RedisAccessException} of kind TLS, not a retry loop.
 */
class TlsPublishIT {

    static TestTls tls;
    /** Requires client certificates (redis-server's default {@code tls-auth-clients yes}). */
    static RedisProcess mutual;
    /** Server authentication only ({@code tls-auth-clients no}), like a managed offering. */
    static RedisProcess serverOnly;

    @BeforeAll
    static void start() {
        TestTls.assumeAvailable();
        tls = TestTls.generate();
        mutual = TestRedis.startThrowaway(RedisProcess.Options.defaults().withTls(tls));
        serverOnly = TestRedis.startThrowaway(
                RedisProcess.Options.defaults().withTls(tls).withArgs("--tls-auth-clients", "no"));
    }

    @AfterAll
    static void stop() {
        for (RedisProcess p : new RedisProcess[] {mutual, serverOnly}) {
            if (p != null) {
                p.close();
            }
        }
    }

    private static CompletableFuture<PublishResult> publish(String uri, RedisTls clientTls, String plan) {
        LettuceEventPublisher publisher = LettuceEventPublisher.create(
                uri, BridgeConfig.builder().tls(clientTls).build());
        return publisher.publish(plan, new PlanStarted("tls", List.of("a"))).whenComplete((r, t) -> publisher.close());
    }

    private static RedisAccessException refused(CompletableFuture<PublishResult> f) {
        return Refusals.awaitRefusal(f);
    }

    @Test
    void aPublisherWithThePrivateCaAndAClientCertificatePublishesOverMutualTls() throws Exception {
        String plan = RedisInspector.newPlanId();
        assertEquals(1, publish(mutual.tlsUri(), tls.client(true), plan).join().seq());
        try (RedisInspector inspect = new RedisInspector(mutual.uri())) {
            assertEquals(1, inspect.log(plan).size());
        }
    }

    @Test
    void aPublisherWithOnlyThePrivateCaPublishesWhereTheServerAsksNoClientCertificate() {
        assertEquals(
                1,
                publish(serverOnly.tlsUri(), tls.client(false), RedisInspector.newPlanId())
                        .join()
                        .seq());
    }

    @Test
    void aWrongCaFailsThePublishWithATlsErrorInsteadOfRetrying() {
        RedisAccessException e =
                refused(publish(serverOnly.tlsUri(), RedisTls.trusting(tls.otherCaFile()), RedisInspector.newPlanId()));
        assertEquals(RedisAccessException.Kind.TLS, e.kind(), e::getMessage);
    }

    @Test
    void aMissingClientCertificateWhereTheServerRequiresOneFailsWithATlsError() {
        RedisAccessException e = refused(publish(mutual.tlsUri(), tls.client(false), RedisInspector.newPlanId()));
        assertEquals(RedisAccessException.Kind.TLS, e.kind(), e::getMessage);
    }

    @Test
    void theJvmTrustStoreAloneRefusesThePrivateCa() {
        RedisAccessException e = refused(publish(serverOnly.tlsUri(), RedisTls.NONE, RedisInspector.newPlanId()));
        assertEquals(RedisAccessException.Kind.TLS, e.kind(), e::getMessage);
    }

    @Test
    void tlsFilesWithAPlainRedisUriAreRefusedAtCreation() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LettuceEventPublisher.create(
                        mutual.uri(),
                        BridgeConfig.builder().tls(tls.client(true)).build()));
        assertTrue(e.getMessage().contains("rediss://"), e.getMessage());
    }
}
