package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Redis away for longer than the command timeout: the gateway keeps its own subscriptions, retries
 * them until Redis is back and repairs from the log. Live WebSocket and SSE clients see a delay, not
 * an error: no error frame, no loss, no duplicate.
 */
class RedisOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void liveClientsSeeADelayNotAnErrorWhenRedisIsAwayLongerThanTheCommandTimeout() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (RedisProcess redis =
                        TestRedis.startThrowaway(RedisProcess.Options.defaults().withAof());
                TestGateway g = TestGateway.start(
                        Map.of("stepcast.redis.uri", redis.uri(), "stepcast.redis.command-timeout", "1s"));
                WsClient ws = WsClient.connect(WsClient.uri(g))) {
            String plan = WsStreamIT.plan("outage");
            try (LettuceEventPublisher publisher = LettuceEventPublisher.create(redis.uri())) {
                WsStreamIT.publish(publisher, plan, 5);
            }
            ws.next("connected");
            PlanReader r = new PlanReader(plan);
            ws.send(r.subscribeFrame());
            r.start(ws);
            List<String> sse = new CopyOnWriteArrayList<>(); // "event id" of every SSE event, and errors
            HttpResponse<Stream<String>> stream = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + g.port() + "/api/plans/" + plan + "/stream"))
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, stream.statusCode());
            CompletableFuture<Void> sseReader =
                    CompletableFuture.runAsync(() -> stream.body().forEach(line -> {
                        if (line.startsWith("id:") || line.startsWith("event: error")) {
                            sse.add(line);
                        }
                    }));
            await().atMost(WAIT).until(() -> sse.size() >= 1); // the snapshot, as of seq 5

            MeterRegistry meters = g.context().getBean(MeterRegistry.class);
            redis.stop();
            // longer than the command timeout: the gateway's re-SUBSCRIBE has failed (and is retried),
            // or, without the retry, the clients got their error
            await().atMost(WAIT)
                    .until(() -> meters.counter("stepcast.resubscribe.retries").count() >= 2
                            || ws.queued() > 0
                            || sse.stream().anyMatch(l -> l.startsWith("event: error")));
            assertNull(ws.poll(), "the WebSocket client got nothing during the outage");
            redis.start();

            PublishResult last;
            try (LettuceEventPublisher publisher = LettuceEventPublisher.create(redis.uri())) {
                last = WsStreamIT.publish(publisher, plan, 5);
            }
            r.readUntil(ws, last.seq()); // contiguous, no error frame
            ws.assertUsable();
            List<String> ids = LongStream.rangeClosed(5, last.seq())
                    .mapToObj(s -> "id: " + last.epoch() + ":" + s)
                    .toList();
            await().atMost(WAIT)
                    .until(() -> sse.size() >= ids.size() || sse.stream().anyMatch(l -> l.startsWith("event: error")));
            assertEquals(ids, sse, "SSE: the snapshot, then every event once, no error");
            stream.body().close();
            sseReader.cancel(true);
        }
    }
}
