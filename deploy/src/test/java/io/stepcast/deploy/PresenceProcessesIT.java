package io.stepcast.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.bridge.testing.MissingTool;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.deploy.browser.GatewayProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence across real gateway processes (the packaged jar) on one Redis: a gateway killed with
 * SIGKILL drops out of the totals the others report, one stopped with SIGTERM leaves them at once.
 */
class PresenceProcessesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Path jar;
    private static Path logs;

    @BeforeAll
    static void findJar() throws Exception {
        Path repo = SystemTools.repoRoot();
        jar = GatewayProcess.findJar(repo);
        if (jar == null) {
            throw MissingTool.skipClass(
                    "PresenceProcessesIT",
                    "gateway jar",
                    "no gateway jar in gateway/target (run ./mvnw verify from the root)");
        }
        logs = Files.createDirectories(repo.resolve("deploy/target/presence-processes"));
    }

    private static GatewayProcess gateway(RedisProcess redis, String heartbeat) throws Exception {
        GatewayProcess g = GatewayProcess.gateway(
                jar,
                GatewayProcess.freePort(),
                List.of(
                        "--stepcast.redis.uri=" + redis.uri(),
                        "--stepcast.auth.enabled=false",
                        "--stepcast.presence.heartbeat=" + heartbeat,
                        "--stepcast.ws.drain-window=1s"),
                logs);
        g.start();
        return g;
    }

    @Test
    void aKilledGatewayDropsOutAndAStoppedOneLeavesAtOnce() throws Exception {
        String plan = "presence-" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisProcess redis = TestRedis.startThrowaway();
                GatewayProcess a = gateway(redis, "300ms");
                GatewayProcess killed = gateway(redis, "300ms");
                // its deadline is 20 s after its last heartbeat: only a graceful leave removes it at once;
                // a watcher it gains after its first heartbeat counts from its next one (10 s later)
                GatewayProcess stopped = gateway(redis, "10s")) {
            WebSocket onA = subscribe(a, plan);
            WebSocket onKilled = subscribe(killed, plan);
            WebSocket onStopped = subscribe(stopped, plan);
            await().atMost(WAIT.plusSeconds(10)).until(() -> watchers(a, plan) == 3 && connections(a) == 3);

            killed.kill();
            await().atMost(WAIT).until(() -> watchers(a, plan) == 2 && connections(a) == 2);

            stopped.stop(); // SIGTERM: drain, then leave
            assertEquals(1, watchers(a, plan), "the stopped gateway's share is gone as soon as it exited");
            assertEquals(1, connections(a));
            onA.abort();
            onKilled.abort();
            onStopped.abort();
        }
    }

    /** A WebSocket subscribed to the plan (its {@code subscribed} frame received). */
    private static WebSocket subscribe(GatewayProcess g, String plan) throws Exception {
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(g.baseUrl().replace("http:", "ws:") + "/ws"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            frames.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                })
                .get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}", true);
        while (true) {
            String frame = frames.poll(30, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no subscribed frame from " + g.baseUrl());
            }
            String type = JSON.readTree(frame).path("type").asText();
            if (type.equals("subscribed")) {
                return ws;
            }
            if (type.equals("error")) {
                throw new AssertionError("subscribe refused: " + frame);
            }
        }
    }

    private static long watchers(GatewayProcess g, String plan) throws Exception {
        return get(g, "/api/plans/" + plan + "/watchers").path("watchers").asLong(-1);
    }

    private static long connections(GatewayProcess g) throws Exception {
        JsonNode c = get(g, "/api/info").path("presence").path("connections");
        return c.isNull() ? -1 : c.asLong(-1);
    }

    private static JsonNode get(GatewayProcess g, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(g.baseUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
