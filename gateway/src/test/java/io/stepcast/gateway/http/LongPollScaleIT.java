package io.stepcast.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.testing.Resp;
import io.stepcast.gateway.TestGateway;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 2,000 long-polls held at once on one gateway: they cost neither a thread nor a Redis subscription
 * each. Counted, not timed: the JVM's thread count and Redis' view of the plan channel.
 */
class LongPollScaleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WAITERS = 2_000;

    @Test
    void twoThousandWaitingLongPollsShareOnePlanSubscriptionAndNoThreadEach() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ExecutorService clientExecutor = Executors.newFixedThreadPool(4);
        HttpClient client = HttpClient.newBuilder()
                .executor(clientExecutor)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        // all waiters come from one address: the per-address connection limit is off for this test
        try (TestGateway gw = TestGateway.start(
                Map.of("stepcast.http.long-poll.max-wait", "120s", "stepcast.limits.connections-per-address", 0))) {
            String plan = TestGateway.planId("lp-scale");
            String channel = RedisLayout.defaults().channel(plan);
            PublishResult head = gw.publisher()
                    .publish(plan, new PlanStarted("scale", List.of("a")))
                    .get(10, TimeUnit.SECONDS);
            String path = "/api/plans/" + plan + "/events?since=" + head.seq() + "&epoch=" + head.epoch() + "&wait=110";
            // warm up every pool on both sides with one short long-poll
            client.send(
                    HttpRequest.newBuilder(gw.uri("/api/plans/" + plan + "/events?since=" + head.seq() + "&epoch="
                                    + head.epoch() + "&wait=0.2"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            int baseline = threads.getThreadCount();
            HttpStreams streams = gw.context().getBean(HttpStreams.class);

            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>(WAITERS);
            for (int i = 0; i < WAITERS; i++) {
                responses.add(client.sendAsync(
                        HttpRequest.newBuilder(gw.uri(path))
                                .timeout(Duration.ofSeconds(150))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
                if (i % 250 == 249) {
                    int sent = i + 1;
                    await().atMost(Duration.ofSeconds(60)).until(() -> streams.waiters() >= sent);
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> streams.waiters() == WAITERS);

            int held = threads.getThreadCount();
            System.out.printf(
                    "LongPollScaleIT: %d JVM threads before, %d with %d long-polls waiting%n", baseline, held, WAITERS);
            assertTrue(
                    held < baseline + 100,
                    "threads: " + baseline + " before, " + held + " with " + WAITERS + " waiting long-polls");
            assertEquals(1L, numsub(gw.redisUri, channel), "one Redis subscription for the plan, not one per request");
            assertEquals(List.of(channel), Resp.call(gw.redisUri, "PUBSUB", "CHANNELS", channel));
            assertTrue(responses.stream().noneMatch(CompletableFuture::isDone), "all of them are still waiting");

            PublishResult event =
                    gw.publisher().publish(plan, new StepOutput(0, "wake up")).get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            for (CompletableFuture<HttpResponse<String>> r : responses) {
                HttpResponse<String> res = r.get();
                assertEquals(200, res.statusCode());
                JsonNode page = JSON.readTree(res.body());
                assertEquals(event.seq(), page.get("seq").asLong());
                assertEquals(1, page.get("events").size());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> streams.waiters() == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> numsub(gw.redisUri, channel) == 0L);
        } finally {
            clientExecutor.shutdownNow();
        }
    }

    private static long numsub(String redisUri, String channel) throws Exception {
        List<?> reply = (List<?>) Resp.call(redisUri, "PUBSUB", "NUMSUB", channel);
        return (Long) reply.get(1);
    }
}
