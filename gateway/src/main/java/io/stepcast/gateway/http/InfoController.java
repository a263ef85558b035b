package io.stepcast.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.stepcast.gateway.auth.AuthConfig;
import io.stepcast.gateway.hub.SessionIds;
import io.stepcast.gateway.presence.Presence;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/info}: what this gateway is, for dashboards and scripts:
 * {@code {"service":"stepcast-gateway","protocol":"stepcast.v1","transports":[...],
 * "demo":{"enabled":true,"plans":["demo-1",...]},"ingest":{"enabled":true},"auth":{"enabled":true},
 * "presence":{"enabled":true,"gateway":"k3v9x0q2mz","connections":1234}}}.
 * {@code presence.connections} is the number of open connections (WebSocket, SSE, waiting long-poll)
 * over every live gateway (this instance's alone when presence is disabled; {@code null} while Redis
 * does not answer, the rest of the body still comes). Holds no secrets; {@code auth.enabled=false}
 * lets a dashboard show an "auth disabled" banner.
 *
 * <p>Threading: never blocks; the response completes on a Redis I/O thread.
 */
@Controller
public class InfoController {

    private static final byte[] CLOSE = {'}', '}'};

    /** Everything up to the connection count, rendered once. */
    private final byte[] head;

    private final Presence presence;

    InfoController(DemoConfig demo, IngestConfig ingest, AuthConfig auth, Presence presence, SessionIds ids) {
        this.presence = presence;
        this.head = render(demo, ingest, auth, presence.clusterWide(), ids.instanceId());
    }

    @Get(uri = "/api/info", produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<byte[]>> info() {
        CompletableFuture<Long> connections;
        try {
            connections = presence.connections();
        } catch (RuntimeException e) {
            connections = CompletableFuture.failedFuture(e);
        }
        return connections.handle((n, error) -> {
            byte[] count = (error == null ? Long.toString(n) : "null").getBytes(StandardCharsets.US_ASCII);
            byte[] body = new byte[head.length + count.length + CLOSE.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(count, 0, body, head.length, count.length);
            System.arraycopy(CLOSE, 0, body, head.length + count.length, CLOSE.length);
            return HttpResponse.ok(body)
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.CACHE_CONTROL, "no-cache");
        });
    }

    /** The body up to {@code "connections":}, which {@link #info()} completes. */
    private static byte[] render(
            DemoConfig demo, IngestConfig ingest, AuthConfig auth, boolean clusterWide, String gateway) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("service", "stepcast-gateway");
            g.writeStringField("protocol", "stepcast.v1");
            g.writeArrayFieldStart("transports");
            for (String t : new String[] {"websocket", "sse", "long-poll", "poll"}) {
                g.writeString(t);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("demo");
            g.writeBooleanField("enabled", demo.enabled());
            g.writeArrayFieldStart("plans");
            for (String plan : demo.plans()) {
                g.writeString(plan);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("ingest");
            g.writeBooleanField("enabled", ingest.enabled());
            g.writeEndObject();
            g.writeObjectFieldStart("auth");
            g.writeBooleanField("enabled", auth.enabled());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] whole = out.toByteArray();
        // the instance id's charset ([a-z0-9]) needs no escaping
        String presence =
                ",\"presence\":{\"enabled\":" + clusterWide + ",\"gateway\":\"" + gateway + "\",\"connections\":";
        ByteArrayOutputStream head = new ByteArrayOutputStream(whole.length + presence.length());
        head.write(whole, 0, whole.length - 1); // without the closing brace
        head.writeBytes(presence.getBytes(StandardCharsets.US_ASCII));
        return head.toByteArray();
    }
}
