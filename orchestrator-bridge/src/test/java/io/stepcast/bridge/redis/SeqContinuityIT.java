package io.stepcast.bridge.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.stepcast.bridge.EventFrames;
import io.stepcast.bridge.FrameHeader;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Concurrent publishers on one plan: seq 1..N without gap or duplicate; log and channel agree. */
class SeqContinuityIT {

    private static final int THREADS = 4;
    private static final int PER_THREAD = 1500;

    @Test
    void concurrentPublishersGetAGapFreeSequenceAndLogEqualsChannel() throws Exception {
        String uri = TestRedis.shared().uri();
        String plan = RedisInspector.newPlanId();
        int total = THREADS * PER_THREAD;
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(uri);
                RedisInspector redis = new RedisInspector(uri)) {
            List<String> channel = redis.subscribe(plan);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<PublishResult>>> perThread = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                perThread.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
                    for (int i = 0; i < PER_THREAD; i++) {
                        futures.add(
                                i % 2 == 0
                                        ? publisher.publish(
                                                plan, new StepOutput(thread, "t" + thread + " line " + i + " ünï\n"))
                                        : publisher.publish(
                                                plan,
                                                new CustomEvent(
                                                        "tick",
                                                        JsonNodeFactory.instance
                                                                .objectNode()
                                                                .put("thread", thread)
                                                                .put("i", i))));
                    }
                    List<PublishResult> results = new ArrayList<>();
                    for (CompletableFuture<PublishResult> f : futures) {
                        results.add(f.join());
                    }
                    return results;
                }));
            }
            start.countDown();
            Set<Long> seqs = new HashSet<>();
            for (Future<List<PublishResult>> f : perThread) {
                long previous = 0;
                for (PublishResult r : f.get()) {
                    assertTrue(r.seq() > previous, "one thread's events keep their order");
                    previous = r.seq();
                    assertFalse(r.duplicate());
                    assertTrue(seqs.add(r.seq()), "seq " + r.seq() + " assigned twice");
                }
            }
            pool.shutdown();
            assertEquals(total, seqs.size());
            for (long s = 1; s <= total; s++) {
                assertTrue(seqs.contains(s), "seq " + s + " missing");
            }

            List<String[]> log = redis.log(plan);
            assertEquals(total, log.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> channel.size() >= total);
            assertEquals(total, channel.size());
            for (int i = 0; i < total; i++) {
                assertEquals((i + 1) + "-0", log.get(i)[0]);
                assertEquals(log.get(i)[1], channel.get(i), "channel frame equals log frame");
                FrameHeader h = EventFrames.header(channel.get(i).getBytes(StandardCharsets.UTF_8));
                assertEquals(i + 1, h.seq());
                assertEquals(plan, h.planId());
                RedisInspector.JSON.readTree(channel.get(i));
            }
            assertEquals(Long.toString(total), redis.meta(plan, "seq"));
        }
    }
}
