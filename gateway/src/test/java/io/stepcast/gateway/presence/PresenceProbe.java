package io.stepcast.gateway.presence;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Presence as a client sees it through one gateway's HTTP API, and watchers of every transport. */
final class PresenceProbe {

    private PresenceProbe() {}

    /** A gateway on this Redis with a short heartbeat (and these extra properties). */
    static TestGateway gateway(String redisUri, String heartbeat, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("stepcast.redis.uri", redisUri);
        props.put("stepcast.presence.heartbeat", heartbeat);
        return TestGateway.start(props);
    }

    /** {@code GET /api/plans/{plan}/watchers} → watchers. */
    static long watchers(TestGateway g, String plan) {
        JsonNode body = json(g, "/api/plans/" + plan + "/watchers", 200);
        if (!plan.equals(body.path("plan_id").asText())) {
            throw new AssertionError("plan_id of " + body);
        }
        return body.path("watchers").asLong(-1);
    }

    /** {@code GET /api/info} → presence.connections (-1 when null). */
    static long connections(TestGateway g) {
        JsonNode presence = json(g, "/api/info", 200).path("presence");
        return presence.path("connections").isNull()
                ? -1
                : presence.path("connections").asLong(-1);
    }

    static JsonNode json(TestGateway g, String path, int status) {
        try {
            HttpResponse<String> r = g.get(path);
            if (r.statusCode() != status) {
                throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
            }
            return WsClient.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A WebSocket connection subscribed to the plan (its {@code subscribed} frame received); asks again
     * while the gateway answers {@code unavailable} (its Redis connection still coming up).
     */
    static WsClient subscribed(TestGateway g, String plan) {
        WsClient ws = WsClient.connect(WsClient.uri(g));
        ws.next("connected");
        String subscribe = "{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}";
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ws.send(subscribe);
            JsonNode answer = ws.next();
            if (answer.path("type").asText().equals("error")
                    && answer.path("code").asText().equals("unavailable")) {
                return false;
            }
            if (!answer.path("type").asText().equals("subscribed")) {
                throw new AssertionError("expected subscribed, got " + answer);
            }
            return true;
        });
        return ws;
    }

    /** An open SSE stream of the plan (close the stream to end it). */
    static InputStream sse(TestGateway g, String plan) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = g.http.send(
                HttpRequest.newBuilder(g.uri("/api/plans/" + plan + "/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new AssertionError("SSE answered " + r.statusCode());
        }
        return r.body();
    }
}
