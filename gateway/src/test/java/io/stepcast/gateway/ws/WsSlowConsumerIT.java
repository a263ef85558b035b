package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepcast.bridge.EventFrames;
import io.stepcast.bridge.FrameHeader;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The slow-consumer rule judges whether a client keeps up, not the size of one event: maximum-size
 * events reach every healthy reader, a reader that stops reading is closed, learns why (4008) and
 * resumes without loss, and a resumed reader's replay is paced by what it reads.
 */
class WsSlowConsumerIT {

    private static final int READERS = 100;
    /** The protocol's maximum data size (1 MiB) minus the {@code step_output} envelope. */
    private static final int MAX_CHUNK = (1 << 20) - 64;

    private static double slowCloses(TestGateway g) {
        g.context().getBean(WsMetrics.class); // the meters are registered
        return g.context()
                .getBean(MeterRegistry.class)
                .counter("stepcast.slow_consumer.closes")
                .count();
    }

    private static String subscribe(String plan) {
        return "{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}";
    }

    private static void awaitSubscribed(RawWsClient c) throws Exception {
        while (true) {
            RawWsClient.Frame f = c.next();
            if ((f.b0() & 0x0f) == 0x1
                    && new String(f.payload(), StandardCharsets.UTF_8).contains("\"type\":\"subscribed\"")) {
                return;
            }
        }
    }

    /** Reads frames until an event with seq {@code last}; returns the event seqs read, in order. */
    private static List<Long> readEvents(RawWsClient c, long last) throws Exception {
        List<Long> seqs = new ArrayList<>();
        while (seqs.isEmpty() || seqs.get(seqs.size() - 1) < last) {
            RawWsClient.Frame f = c.next();
            int opcode = f.b0() & 0x0f;
            if (opcode == 0x8) {
                throw new AssertionError("closed with " + (((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff))
                        + " after " + seqs.size() + " events");
            }
            if (opcode == 0x1
                    && new String(f.payload(), 0, Math.min(40, f.payload().length), StandardCharsets.US_ASCII)
                            .startsWith(EventFrames.PREFIX)) {
                seqs.add(EventFrames.header(f.payload()).seq());
            }
        }
        return seqs;
    }

    @Test
    void maximumSizeEventsReachAHundredReadersWithoutClosingAny() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(READERS);
        List<RawWsClient> readers = new ArrayList<>();
        try (TestGateway g = TestGateway.start();
                LettuceEventPublisher publisher =
                        LettuceEventPublisher.create(TestRedis.shared().uri())) {
            String plan = WsStreamIT.plan("big");
            long first = WsStreamIT.publish(publisher, plan, 1).seq();
            for (int i = 0; i < READERS; i++) {
                RawWsClient c = new RawWsClient(g.port(), null, 0);
                readers.add(c);
                c.sendText(subscribe(plan));
            }
            // every reader is subscribed (has the snapshot) before the large events go out
            List<CompletableFuture<List<Long>>> reads = new ArrayList<>();
            for (RawWsClient c : readers) {
                awaitSubscribed(c);
            }
            double before = slowCloses(g);
            String chunk = "x".repeat(MAX_CHUNK);
            List<CompletableFuture<PublishResult>> published = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                published.add(publisher.publish(plan, new StepOutput(0, chunk)));
            }
            long last = published.get(3).join().seq();
            for (RawWsClient c : readers) {
                reads.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return readEvents(c, last);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        pool));
            }
            for (CompletableFuture<List<Long>> r : reads) {
                assertEquals(List.of(first + 1, first + 2, first + 3, first + 4), r.get(2, TimeUnit.MINUTES));
            }
            assertEquals(before, slowCloses(g), "no reader was closed as a slow consumer");
        } finally {
            for (RawWsClient c : readers) {
                c.close();
            }
            pool.shutdownNow();
        }
    }

    @Test
    void aReaderThatStopsReadingIsClosedLearnsWhyAndResumesWithoutLoss() throws Exception {
        // a short close-timeout: the close must wait for a client that reads, however slowly; a
        // fixed socket send buffer, so the client's progress shows in the gateway's pending output
        // within the close-timeout (an auto-tuned buffer of megabytes hides it for longer)
        try (TestGateway g = TestGateway.start(Map.of(
                        "stepcast.ws.close-timeout", "1s", "micronaut.server.netty.childOptions.so_sndbuf", 65536));
                LettuceEventPublisher publisher =
                        LettuceEventPublisher.create(TestRedis.shared().uri());
                RawWsClient stalled = new RawWsClient(g.port())) {
            double before = slowCloses(g);
            String plan = WsStreamIT.plan("stall");
            WsStreamIT.publish(publisher, plan, 1);
            stalled.sendText(subscribe(plan));
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Long> flow = WsFleetIT.flow(publisher, plan, stop, "x".repeat(4000));
            await().atMost(WsClient.WAIT.multipliedBy(3)).until(() -> slowCloses(g) > before);
            stop.set(true);
            long last = flow.join(); // well within the plan's log: the resume below must recover

            // it reads again, at about 800 KB/s: slower than the server sent, but it keeps reading
            assertEquals(
                    4008,
                    stalled.readToClose(TimeUnit.MILLISECONDS.toNanos(5)),
                    "the slow reader gets the slow-consumer code, not a cut connection");

            PlanReader r = new PlanReader(plan);
            for (String text : stalled.texts) {
                if (text.startsWith(EventFrames.PREFIX)) {
                    FrameHeader h = EventFrames.header(text.getBytes(StandardCharsets.UTF_8));
                    assertEquals(r.seq == 0 ? h.seq() : r.seq + 1, h.seq(), "no gap before the close");
                    r.seq = h.seq();
                    r.epoch = h.epoch();
                }
            }
            assertTrue(r.seq > 1, "it had received part of the stream");
            try (WsClient c = WsClient.connect(WsClient.uri(g))) {
                c.next("connected");
                c.send(r.resumeFrame());
                assertTrue(c.next("subscribed").path("recovered").asBoolean());
                r.readUntil(c, last);
                c.assertUsable();
            }
        }
    }

    @Test
    void aResumedReaderIsPacedThroughAReplayLargerThanItsBoundWithoutBeingClosed() {
        try (TestGateway g = TestGateway.start();
                LettuceEventPublisher publisher =
                        LettuceEventPublisher.create(TestRedis.shared().uri())) {
            double before = slowCloses(g);
            String plan = WsStreamIT.plan("replay");
            PublishResult start = WsStreamIT.publish(publisher, plan, 1);
            // 16 MiB missed while away: twice max-pending-bytes, in one log page
            String chunk = "y".repeat(64 * 1024);
            CompletableFuture<PublishResult> last = null;
            for (int i = 0; i < 256; i++) {
                last = publisher.publish(plan, new StepOutput(0, chunk));
            }
            long lastSeq = last.join().seq();
            PlanReader r = new PlanReader(plan);
            r.seq = start.seq();
            r.epoch = start.epoch();
            try (WsClient c = WsClient.connect(WsClient.uri(g))) {
                c.next("connected");
                c.send(r.resumeFrame());
                JsonNode sub = c.next("subscribed");
                assertTrue(sub.path("recovered").asBoolean(), sub::toString);
                r.readUntil(c, lastSeq);
                c.assertUsable();
            }
            assertEquals(before, slowCloses(g), "the replay did not close the reader");
        }
    }
}
