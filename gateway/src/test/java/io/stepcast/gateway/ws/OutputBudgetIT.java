package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import io.stepcast.gateway.budget.OutputBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gateway-wide output budget: many clients that read slowly or not at all push the gateway's
 * pending output past a small budget, each of them well within its own slow-consumer bound. The
 * gateway keeps the pending output of its open connections near the budget by shedding the furthest
 * behind (4008), the clients that keep up are not shed and receive every event, and every shed client
 * resumes from where it was without a gap.
 */
class OutputBudgetIT {

    private static final long BUDGET = 4L << 20;
    private static final int STALLED = 4;
    private static final int SLOW = 6;
    private static final String END = "end of the test";

    private static double meter(TestGateway g, String name, String transport) {
        g.context().getBean(OutputBudget.class);
        return g.context()
                .getBean(MeterRegistry.class)
                .counter(name, "transport", transport)
                .count();
    }

    /** What the open (not closing) connections have pending right now, from their own exact counters. */
    private static long openPendingNow(TestGateway g) {
        long sum = 0;
        for (WsConnection c : g.context().getBean(ConnectionRegistry.class).snapshot()) {
            sum += c.isClosing() ? 0 : c.pendingBytes();
        }
        return sum;
    }

    /** The cursor a raw client reached: its {@code subscribed} frame, then contiguous events. */
    private static PlanReader reached(String plan, RawWsClient c) throws Exception {
        PlanReader r = new PlanReader(plan);
        for (String text : c.texts) {
            JsonNode n = WsClient.JSON.readTree(text);
            switch (n.path("type").asText()) {
                case "subscribed" -> {
                    r.seq = n.path("seq").asLong();
                    r.epoch = n.path("epoch").asText();
                }
                case "event" -> r.accept(n);
                default -> {}
            }
        }
        return r;
    }

    /** Reads a reader's frames, checking every event follows the one before, up to the {@link #END} event. */
    private static PlanReader readToEnd(String plan, RawWsClient c) {
        PlanReader r = new PlanReader(plan);
        try {
            while (true) {
                RawWsClient.Frame f = c.next();
                int opcode = f.b0() & 0x0f;
                if (opcode == 0x8) {
                    throw new AssertionError("a reader that keeps up was closed after seq " + r.seq);
                }
                if (opcode != 0x1) {
                    continue;
                }
                JsonNode n = WsClient.JSON.readTree(f.payload());
                switch (n.path("type").asText()) {
                    case "subscribed" -> {
                        r.seq = n.path("seq").asLong();
                        r.epoch = n.path("epoch").asText();
                    }
                    case "event" -> {
                        r.accept(n);
                        if (END.equals(n.path("data").path("chunk").asText())) {
                            return r;
                        }
                    }
                    default -> {}
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Publishes 4 KB events at 500 a second (10 every 20 ms) until {@code stop}: the shed-able clients
     * pass the budget within a fraction of a second, while what can arrive between two budget checks
     * (one check interval, or a late check on a loaded machine) stays well below the budget. An
     * unpaced flow made the peak depend on the machine's speed.
     */
    private static CompletableFuture<Long> pacedFlow(LettuceEventPublisher publisher, String plan, AtomicBoolean stop) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        CompletableFuture<Long> done = new CompletableFuture<>();
        AtomicInteger n = new AtomicInteger();
        String pad = "x".repeat(4000);
        timer.scheduleAtFixedRate(
                () -> {
                    try {
                        CompletableFuture<PublishResult> last = null;
                        for (int k = 0; k < 10; k++) {
                            last = publisher.publish(plan, new StepOutput(0, pad + n.getAndIncrement() + "\n"));
                        }
                        if (stop.get()) {
                            done.complete(last.join().seq());
                            timer.shutdown();
                        }
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                        timer.shutdown();
                    }
                },
                0,
                20,
                TimeUnit.MILLISECONDS);
        return done;
    }

    @Test
    void overloadShedsTheFurthestBehindWhileReadersKeepEverythingAndTheShedResumeGapFree() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        List<RawWsClient> raw = new ArrayList<>();
        List<RawWsClient> readers = new ArrayList<>();
        // small socket buffers, so what the clients do not read stays in the gateway where it counts;
        // each client's own bound (8 MiB or 10 s) is never reached: only the budget can shed them
        try (TestGateway g = TestGateway.start(Map.of(
                        "stepcast.output-budget.max-bytes",
                        BUDGET,
                        "stepcast.output-budget.check-interval",
                        "20ms",
                        // time enough for a shed reader to take its backlog and its close frame
                        "stepcast.output-budget.cut-after",
                        "5s",
                        "micronaut.server.netty.childOptions.so_sndbuf",
                        65536));
                LettuceEventPublisher publisher = LettuceEventPublisher.create(g.redisUri)) {
            String plan = WsStreamIT.plan("budget");
            WsStreamIT.publish(publisher, plan, 1);
            // two readers that keep up: plain sockets with the system's buffers, read on their own threads
            List<CompletableFuture<PlanReader>> readerDone = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                RawWsClient c = new RawWsClient(g.port(), null, 0);
                readers.add(c);
                c.sendText("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}");
                readerDone.add(CompletableFuture.supplyAsync(() -> readToEnd(plan, c), pool));
            }
            for (int i = 0; i < STALLED + SLOW; i++) {
                RawWsClient c = new RawWsClient(g.port(), null, 4096);
                raw.add(c);
                c.sendText("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}");
            }
            double shedBefore = meter(g, "stepcast.output.shed", "ws");
            // the slow ones read on, at about 800 KB/s each: slower than the flow, but they read
            List<CompletableFuture<Integer>> slowCloses = new ArrayList<>();
            for (RawWsClient c : raw.subList(STALLED, raw.size())) {
                slowCloses.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return c.readToClose(TimeUnit.MILLISECONDS.toNanos(5));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        pool));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong peak = new AtomicLong();
            CompletableFuture<Long> flow = pacedFlow(publisher, plan, stop);
            await().atMost(WsClient.WAIT.multipliedBy(2))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> {
                        // every one of them shed, or (without a budget) the backlog long past it
                        return peak.accumulateAndGet(openPendingNow(g), Math::max) > 4 * BUDGET
                                || meter(g, "stepcast.output.shed", "ws") - shedBefore >= STALLED + SLOW;
                    });
            stop.set(true);
            flow.join();
            assertTrue(
                    peak.get() <= 2 * BUDGET,
                    "open connections' pending output stayed near the budget: peak " + peak.get()
                            + " bytes for a budget of " + BUDGET);

            // the readers were not shed and have every event, up to a last one published after the flow
            long end = publisher.publish(plan, new StepOutput(0, END)).join().seq();
            for (CompletableFuture<PlanReader> done : readerDone) {
                assertEquals(end, done.get(1, TimeUnit.MINUTES).seq, "a reader has every event");
            }
            // a shed client that reads learns why: 4008; one that never read may have been cut
            for (CompletableFuture<Integer> close : slowCloses) {
                assertEquals(4008, close.get(1, TimeUnit.MINUTES), "a slow reader sees the slow-consumer code");
            }
            for (RawWsClient c : raw.subList(0, STALLED)) {
                int code = c.readToClose();
                assertTrue(code == 4008 || code == -1, "a stalled client is shed or cut, was " + code);
            }
            // every shed client resumes from its last event, without a gap, up to the last event
            for (RawWsClient shed : raw) {
                PlanReader r = reached(plan, shed);
                try (WsClient c = WsClient.connect(WsClient.uri(g))) {
                    c.next("connected");
                    c.send(r.resumeFrame());
                    assertTrue(c.next("subscribed").path("recovered").asBoolean(), "resumed from the log");
                    r.readUntil(c, end);
                    c.assertUsable();
                }
            }
        } finally {
            for (RawWsClient c : raw) {
                c.close();
            }
            for (RawWsClient c : readers) {
                c.close();
            }
            pool.shutdownNow();
        }
    }
}
