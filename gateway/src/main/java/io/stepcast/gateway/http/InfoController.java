package io.stepcast.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.stepcast.gateway.auth.AuthConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/info}: what this gateway is, for dashboards and scripts:
 * {@code {"service":"stepcast-gateway","protocol":"stepcast.v1","transports":[...],
 * "demo":{"enabled":true,"plans":["demo-1",...]},"ingest":{"enabled":true},"auth":{"enabled":true}}}.
 * Holds no secrets; {@code auth.enabled=false} lets a dashboard show an "auth disabled" banner.
 */
@Controller
public class InfoController {

    private final byte[] body;

    InfoController(DemoConfig demo, IngestConfig ingest, AuthConfig auth) {
        this.body = render(demo, ingest, auth);
    }

    @Get(uri = "/api/info", produces = MediaType.APPLICATION_JSON)
    HttpResponse<byte[]> info() {
        return HttpResponse.ok(body)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache");
    }

    private static byte[] render(DemoConfig demo, IngestConfig ingest, AuthConfig auth) {
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
        return out.toByteArray();
    }
}
