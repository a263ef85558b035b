package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Heartbeat with short settings: pings every 1.2 s, silence allowed for 3 s. Micronaut's idle
 * timeouts are set to 1 s, shorter than the gap between two pings: they must not reach WebSocket
 * connections (the gateway removes Netty's idle-state handler once a session is open and relies on
 * its own heartbeat), while HTTP connections keep them.
 */
class WsHeartbeatIT {

    static TestGateway server;

    @BeforeAll
    static void start() {
        server = TestGateway.start(Map.of(
                "stepcast.ws.heartbeat", "1200ms",
                "stepcast.ws.heartbeat-timeout", "3s",
                "micronaut.server.idle-timeout", "1s",
                "micronaut.server.read-idle-timeout", "1s",
                "micronaut.server.write-idle-timeout", "1s"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPushOnlyClientThatAnswersPingsOutlivesEveryIdleTimeout() {
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            assertEquals(1200, c.next("connected").path("heartbeat_ms").asLong());
            // 4 pings at 1.2 s span more than 4.8 s: longer than the 3 s heartbeat timeout, and
            // each gap is longer than the 1 s Netty idle timeouts, while the client never sends
            await().atMost(WsClient.WAIT).until(() -> c.pings.get() >= 4);
            assertFalse(c.isClosed(), "connection must still be open");
            c.assertUsable();
        }
    }

    @Test
    void aSilentClientIsClosedWithHeartbeatTimeout() throws Exception {
        ConnectionRegistry registry = server.context().getBean(ConnectionRegistry.class);
        try (RawWsClient silent = new RawWsClient(server.port())) {
            // the raw client reads nothing and so never answers a ping
            assertEquals(4009, silent.readToClose());
            await().atMost(WsClient.WAIT).until(() -> registry.size() == 0);
            assertTrue(silent.texts.get(0).contains("\"connected\""));
        }
    }

    @Test
    void anOpenSessionKeepsNeitherTheIdleStateHandlerNorTheUpgradeRequestsHeaders() throws Exception {
        ConnectionRegistry registry = server.context().getBean(ConnectionRegistry.class);
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            // a connection of an earlier test may still be closing: take this one, the only one left
            await().atMost(WsClient.WAIT).until(() -> registry.size() == 1);
            WsConnection connection = registry.snapshot().get(0);
            await().atMost(WsClient.WAIT)
                    .until(() ->
                            connection.channel().pipeline().get(ChannelPipelineCustomizer.HANDLER_IDLE_STATE) == null);
            // Micronaut's session keeps the upgrade request for its whole life (private field)
            HttpRequest<?> upgrade = (HttpRequest<?>) field(connection.session(), "request");
            await().atMost(WsClient.WAIT).until(() -> upgrade.getHeaders().isEmpty());
            assertTrue(
                    upgrade.getAttributes().isEmpty(),
                    () -> upgrade.getAttributes().names().toString());
            c.assertUsable();
        }
    }

    @Test
    void anIdleHttpConnectionIsStillClosedByMicronautsIdleTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) WsClient.WAIT.toMillis());
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            // the response, then end of stream once the connection has been idle for 1 s
            byte[] buf = new byte[4096];
            StringBuilder got = new StringBuilder();
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            assertTrue(got.toString().startsWith("HTTP/1.1 200"), got::toString);
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException next) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(name);
    }
}
