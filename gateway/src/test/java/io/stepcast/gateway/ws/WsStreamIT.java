package io.stepcast.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Subscribe, snapshot-then-live and resume over real WebSockets, a real gateway and real Redis. */
class WsStreamIT {

    static TestGateway server;
    static LettuceEventPublisher publisher;

    @BeforeAll
    static void start() {
        server = TestGateway.start();
        publisher = LettuceEventPublisher.create(TestRedis.shared().uri());
    }

    @AfterAll
    static void stop() {
        publisher.close();
        server.close();
    }

    static String plan(String kind) {
        return kind + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Publishes {@code n} events and returns the last result. */
    static PublishResult publish(LettuceEventPublisher p, String plan, int n) {
        List<CompletableFuture<PublishResult>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(p.publish(plan, new StepOutput(0, "line " + i + "\n")));
        }
        return all.get(n - 1).join();
    }

    @Test
    void snapshotThenLiveWithoutGapOrDuplicateWhileEventsFlowAtFullSpeed() {
        String plan = plan("snap");
        publisher
                .publish(plan, new PlanStarted("build", List.of("compile", "test")))
                .join();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lastPublished = new AtomicLong();
        CompletableFuture<Void> flow = CompletableFuture.runAsync(() -> {
            int i = 0;
            CompletableFuture<PublishResult> last = null;
            while (!stop.get() && i < 200_000) {
                last = publisher.publish(plan, new StepOutput(i % 2, "chunk " + i++ + "\n"));
                if (i % 200 == 0) {
                    last.join(); // keep the in-flight window bounded, still full speed
                }
            }
            lastPublished.set(last.join().seq());
        });
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            // join while the stream is running: the publisher never waits for us
            PlanReader r = new PlanReader(plan);
            c.send(r.subscribeFrame());
            JsonNode sub = r.start(c);
            assertFalse(sub.path("recovered").asBoolean());
            r.readUntil(c, r.seq + 500); // at least 500 live events after the snapshot
            stop.set(true);
            flow.join();
            r.readUntil(c, lastPublished.get());
            assertTrue(sub.path("seq").asLong() >= 1);
        }
    }

    @Test
    void resumeAcrossADisconnectReplaysOneThousandMissedEvents() {
        String plan = plan("resume");
        publish(publisher, plan, 10);
        PlanReader r = new PlanReader(plan);
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            c.send(r.subscribeFrame());
            r.start(c);
            assertEquals(10, r.seq);
        }
        PublishResult last = publish(publisher, plan, 1000);
        assertEquals(1010, last.seq());
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            c.send(r.resumeFrame());
            JsonNode sub = c.next("subscribed");
            assertTrue(sub.path("recovered").asBoolean(), sub::toString);
            assertEquals(r.epoch, sub.path("epoch").asText());
            assertEquals(10, sub.path("seq").asLong(), "replay starts right after the cursor");
            r.readUntil(c, 1010);
            assertEquals(1000, r.events);
            c.assertUsable(); // nothing else was queued: no snapshot, no duplicate
        }
    }

    @Test
    void aCursorAtTheHeadRecoversWithNothingToReplay() {
        String plan = plan("head");
        PublishResult last = publish(publisher, plan, 3);
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            c.send("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\",\"since\":3,\"epoch\":\"" + last.epoch()
                    + "\"}");
            JsonNode sub = c.next("subscribed");
            assertTrue(sub.path("recovered").asBoolean());
            assertEquals(3, sub.path("seq").asLong());
            c.assertUsable();
            publish(publisher, plan, 1);
            assertEquals(4, c.next("event").path("seq").asLong());
        }
    }

    @Test
    void aChangedEpochResetsWithAFreshSnapshot() {
        String plan = plan("epoch");
        PublishResult last = publish(publisher, plan, 5);
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            c.send("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\",\"since\":3,\"epoch\":\"oldepoch0000\"}");
            PlanReader r = new PlanReader(plan);
            JsonNode sub = r.start(c);
            assertFalse(sub.path("recovered").asBoolean());
            assertEquals(last.epoch(), sub.path("epoch").asText());
            assertEquals(5, sub.path("seq").asLong());
        }
    }

    @Test
    void aCursorBeyondTheLogCapResetsWithAFreshSnapshot() {
        String plan = plan("cap");
        try (LettuceEventPublisher capped = LettuceEventPublisher.create(
                TestRedis.shared().uri(), BridgeConfig.builder().logMaxLen(100).build())) {
            PublishResult first = publish(capped, plan, 1);
            publish(capped, plan, 1500);
            try (WsClient c = WsClient.connect(WsClient.uri(server))) {
                c.next("connected");
                c.send("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\",\"since\":1,\"epoch\":\"" + first.epoch()
                        + "\"}");
                PlanReader r = new PlanReader(plan);
                JsonNode sub = r.start(c);
                assertFalse(sub.path("recovered").asBoolean(), "event 2 is no longer in the log");
                assertEquals(1501, sub.path("seq").asLong());
            }
        }
    }

    @Test
    void aPlanWithoutEventsCanBeWatchedFromItsFirstEvent() {
        String plan = plan("empty");
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            PlanReader r = new PlanReader(plan);
            c.send(r.subscribeFrame());
            JsonNode sub = r.start(c);
            assertTrue(sub.path("epoch").isNull(), sub::toString);
            assertEquals(0, sub.path("seq").asLong());
            publish(publisher, plan, 3);
            r.readUntil(c, 3);
        }
    }

    @Test
    void unsubscribeStopsThePlanAndIsConfirmed() {
        String plan = plan("unsub");
        publish(publisher, plan, 2);
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            PlanReader r = new PlanReader(plan);
            c.send(r.subscribeFrame());
            r.start(c);
            c.send("{\"type\":\"unsubscribe\",\"plan_id\":\"" + plan + "\"}");
            assertEquals(plan, c.next("unsubscribed").path("plan_id").asText());
            publish(publisher, plan, 5);
            c.assertUsable(); // no event of the plan arrives any more
            assertTrue(c.queued() == 0);
        }
    }
}
