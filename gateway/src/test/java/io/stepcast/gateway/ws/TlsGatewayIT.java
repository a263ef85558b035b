package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisTls;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.bridge.testing.TestTls;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import io.stepcast.gateway.redis.RedisHealth;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gateway and bridge over mutual TLS to a redis-server with a private CA (certificates generated with
 * openssl; the server requires client certificates): a snapshot and a live event reach a WebSocket
 * client; a gateway trusting another CA starts but stays not-ready, its readiness naming the TLS
 * failure.
 */
class TlsGatewayIT {

    static TestTls tls;
    static RedisProcess redis;

    @BeforeAll
    static void start() {
        TestTls.assumeAvailable();
        tls = TestTls.generate();
        redis = TestRedis.startThrowaway(RedisProcess.Options.defaults().withTls(tls));
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    /** Gateway properties for {@code clientTls} on the TLS port. */
    static Map<String, Object> tlsProperties(String uri, RedisTls clientTls) {
        Map<String, Object> props = new HashMap<>();
        props.put("stepcast.redis.uri", uri);
        props.put("stepcast.redis.tls.ca-file", clientTls.caFile().toString());
        if (clientTls.hasClientCertificate()) {
            props.put("stepcast.redis.tls.cert-file", clientTls.certFile().toString());
            props.put("stepcast.redis.tls.key-file", clientTls.keyFile().toString());
        }
        return props;
    }

    @Test
    void aSnapshotAndALiveEventFlowFromTheBridgeThroughTheGatewayOverMutualTls() throws Exception {
        String plan = TestGateway.planId("tls");
        RedisTls client = tls.client(true);
        try (TestGateway gateway = TestGateway.start(tlsProperties(redis.tlsUri(), client));
                LettuceEventPublisher publisher = LettuceEventPublisher.create(
                        redis.tlsUri(), BridgeConfig.builder().tls(client).build());
                WsClient ws = WsClient.connect(WsClient.uri(gateway))) {
            ws.next("connected");
            RedisHealth health = gateway.context().getBean(RedisHealth.class);
            await().atMost(Duration.ofSeconds(30)).until(health::isUp);
            publisher.publish(plan, new PlanStarted("tls", List.of("build"))).get(30, TimeUnit.SECONDS);
            ws.send("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}");
            ws.next("subscribed");
            JsonNode snapshot = ws.next("snapshot");
            assertEquals(plan, snapshot.path("plan_id").asText(), snapshot::toString);
            publisher.publish(plan, new StepOutput(0, "over tls\n")).get(30, TimeUnit.SECONDS);
            JsonNode event = ws.next("event");
            assertEquals(2, event.path("seq").asLong(), event::toString);
        }
    }

    @Test
    void aGatewayTrustingAnotherCaStaysNotReadyAndItsReadinessNamesTheTlsFailure() {
        try (TestGateway gateway =
                TestGateway.start(tlsProperties(redis.tlsUri(), RedisTls.trusting(tls.otherCaFile())))) {
            RedisHealth health = gateway.context().getBean(RedisHealth.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> health.describe().contains("refused"));
            String described = health.describe();
            assertTrue(!health.isUp(), described);
            assertTrue(described.contains("TLS handshake"), described);
        }
    }
}
