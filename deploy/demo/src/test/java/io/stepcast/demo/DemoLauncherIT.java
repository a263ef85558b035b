package io.stepcast.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.bridge.testing.Resp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The README's demo mode: one launcher, an embedded Redis, a gateway and moving demo plans. */
class DemoLauncherIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void demoServesMovingPlansAndStopsEverythingOnClose() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        DemoLauncher demo = DemoLauncher.start(DemoLaunchOptions.randomPorts());
        String redisUri = demo.redisUri();
        try {
            assertEquals(List.of("demo-1", "demo-2", "demo-3"), demo.planIds());
            String poll = demo.httpUrl() + "/api/plans/demo-1";
            AtomicLong firstSeq = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                HttpResponse<String> res = http.send(
                        HttpRequest.newBuilder(URI.create(poll)).build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() != 200) {
                    return false;
                }
                long seq = JSON.readTree(res.body()).get("seq").asLong();
                firstSeq.compareAndSet(-1, seq);
                return seq > firstSeq.get();
            });

            JsonNode info = JSON.readTree(http.send(
                            HttpRequest.newBuilder(URI.create(demo.httpUrl() + "/api/info"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertTrue(info.get("demo").get("enabled").asBoolean());
            assertFalse(info.get("auth").get("enabled").asBoolean());
            assertEquals(3, info.get("demo").get("plans").size());

            ByteArrayOutputStream banner = new ByteArrayOutputStream();
            demo.printBanner(new PrintStream(banner, true, StandardCharsets.UTF_8));
            String text = banner.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains(demo.httpUrl() + "/"), text);
            assertTrue(text.contains(demo.wsUrl()), text);
            assertTrue(text.contains(poll), text);
            assertTrue(text.contains("npx -y wscat -s stepcast.v1 -c " + demo.wsUrl()), text);
            assertTrue(demo.publishedEvents() > 0);
        } finally {
            demo.close();
        }
        assertFalse(
                Resp.ping("127.0.0.1", URI.create(redisUri).getPort(), 500),
                "the embedded Redis stopped with the demo");
    }
}
