package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Several gateway instances on one Redis, and clients that move or stall. */
class WsFleetIT {

    /** Publishes continuously until stopped; returns the last seq published. */
    static CompletableFuture<Long> flow(LettuceEventPublisher publisher, String plan, AtomicBoolean stop, String pad) {
        return CompletableFuture.supplyAsync(() -> {
            CompletableFuture<PublishResult> last = null;
            for (int i = 0; !stop.get() && i < 200_000; i++) {
                last = publisher.publish(plan, new StepOutput(0, pad + i + "\n"));
                if (i % 100 == 99) {
                    last.join();
                }
            }
            return last.join().seq();
        });
    }

    @Test
    void aClientMovingBetweenTwoGatewaysMidStreamLosesNothing() {
        try (TestGateway g1 = TestGateway.start();
                TestGateway g2 = TestGateway.start();
                LettuceEventPublisher publisher =
                        LettuceEventPublisher.create(TestRedis.shared().uri())) {
            String plan = WsStreamIT.plan("move");
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Long> flow = flow(publisher, plan, stop, "");
            PlanReader r = new PlanReader(plan);
            try (WsClient c = WsClient.connect(WsClient.uri(g1))) {
                c.next("connected");
                c.send(r.subscribeFrame());
                r.start(c);
                r.readUntil(c, r.seq + 300);
            } // dropped mid-stream; events keep flowing
            try (WsClient c = WsClient.connect(WsClient.uri(g2))) {
                c.next("connected");
                c.send(r.resumeFrame());
                JsonNode sub = c.next("subscribed");
                assertTrue(sub.path("recovered").asBoolean(), sub::toString);
                r.readUntil(c, r.seq + 300);
                stop.set(true);
                r.readUntil(c, flow.join());
            }
            // and back again, at rest
            try (WsClient c = WsClient.connect(WsClient.uri(g1))) {
                c.next("connected");
                c.send(r.resumeFrame());
                assertTrue(c.next("subscribed").path("recovered").asBoolean());
                c.assertUsable();
            }
        }
    }

    @Test
    void aStalledReaderIsClosedAsSlowConsumerWhileAnotherClientReceivesEverything() throws Exception {
        // a long close-timeout keeps the close frame queued until the stalled client reads again
        try (TestGateway g = TestGateway.start(Map.of("stepcast.ws.close-timeout", "60s"));
                LettuceEventPublisher publisher =
                        LettuceEventPublisher.create(TestRedis.shared().uri());
                RawWsClient stalled = new RawWsClient(g.port());
                WsClient healthy = WsClient.connect(WsClient.uri(g))) {
            MeterRegistry meters = g.context().getBean(MeterRegistry.class);
            g.context().getBean(WsMetrics.class); // metrics are registered
            double before = meters.counter("stepcast.slow_consumer.closes").count();
            String plan = WsStreamIT.plan("slow");
            WsStreamIT.publish(publisher, plan, 1);
            stalled.sendText("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}");
            healthy.next("connected");
            PlanReader r = new PlanReader(plan);
            healthy.send(r.subscribeFrame());
            r.start(healthy);

            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Long> flow = flow(publisher, plan, stop, "x".repeat(4000));
            AtomicLong read = new AtomicLong();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    r.accept(healthy.next());
                    read.set(r.seq);
                }
            });
            await().atMost(WsClient.WAIT.multipliedBy(3))
                    .until(() -> meters.counter("stepcast.slow_consumer.closes").count() > before);
            long target = read.get() + 200;
            await().atMost(WsClient.WAIT).until(() -> read.get() >= target || reader.isDone());
            stop.set(true);
            long last = flow.join();
            reader.join();
            r.readUntil(healthy, last);
            healthy.assertUsable();

            assertEquals(
                    4008, stalled.readToClose(), "the stalled client gets the slow-consumer code when it reads again");
            assertTrue(stalled.texts.size() > 2, "it had received the start of the stream");
        }
    }
}
