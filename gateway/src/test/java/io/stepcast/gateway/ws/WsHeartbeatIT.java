package io.stepcast.gateway.ws;

import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeat with short settings: pings every 300 ms, silence allowed for 1 s, Netty's idle timeouts
 * at 2 s (the shortest Netty supports above the heartbeat timeout; they count whole seconds).
 */
class WsHeartbeatIT {

    static EmbeddedServer server;

    @BeforeAll
    static void start() {
        server = Gateways.start(Map.of(
                "stepcast.ws.heartbeat", "300ms",
                "stepcast.ws.heartbeat-timeout", "1s",
                "micronaut.server.idle-timeout", "2s",
                "micronaut.server.read-idle-timeout", "2s",
                "micronaut.server.write-idle-timeout", "2s"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPushOnlyClientThatAnswersPingsOutlivesEveryIdleTimeout() {
        try (WsTestClient c = WsTestClient.connect(WsTestClient.uri(server))) {
            assertEquals(300, c.next("connected").path("heartbeat_ms").asLong());
            // 12 pings at 300 ms span more than 3 s: longer than the 1 s heartbeat timeout and the
            // 2 s Netty idle timeouts, while the client itself never sends a message
            await().atMost(WsTestClient.WAIT).until(() -> c.pings.get() >= 12);
            assertFalse(c.closeCode.isDone(), "connection must still be open");
            c.assertUsable();
        }
    }

    @Test
    void aSilentClientIsClosedWithHeartbeatTimeout() throws Exception {
        ConnectionRegistry registry = server.getApplicationContext().getBean(ConnectionRegistry.class);
        try (RawWsClient silent = new RawWsClient(server.getPort())) {
            // the raw client reads nothing and so never answers a ping
            assertEquals(4009, silent.readToClose());
            await().atMost(WsTestClient.WAIT).until(() -> registry.size() == 0);
            assertTrue(silent.texts.get(0).contains("\"connected\""));
        }
    }
}
