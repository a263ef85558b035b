package io.stepcast.deploy;

import static org.awaitility.Awaitility.await;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The orchestrator of a system test: publishes step-output events round-robin over some plans at a
 * fixed rate through the bridge's {@link LettuceEventPublisher} (straight into Redis, as a real
 * orchestrator does; clients only see the load balancer). Remembers each plan's head, the last
 * (epoch, seq) Redis assigned, from the publish results.
 *
 * <p>The pacing thread is the only publisher; results complete on the bridge's callback thread in
 * publish order per plan, so the last result per plan is its head.
 */
final class EventPump implements AutoCloseable {

    private final LettuceEventPublisher publisher;
    private final List<String> plans;
    private final Map<String, ClientFleet.PlanHead> heads = new ConcurrentHashMap<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure;
    private volatile boolean stopRequested;
    private Thread thread;

    EventPump(String redisUri, List<String> plans) {
        this(redisUri, plans, RedisMode.STANDALONE, 0);
    }

    /** A pump on a Redis of {@code mode}, acknowledged after {@code waitReplicas} replicas (0 = at once). */
    EventPump(String redisUri, List<String> plans, RedisMode mode, int waitReplicas) {
        BridgeConfig config = BridgeConfig.builder()
                .redisMode(mode)
                .waitReplicas(waitReplicas)
                .retryBufferCapacity(100_000)
                .backoffMin(Duration.ofMillis(100))
                .backoffMax(Duration.ofSeconds(1))
                .closeTimeout(Duration.ofSeconds(30))
                .build();
        this.publisher = LettuceEventPublisher.create(redisUri, config);
        this.plans = List.copyOf(plans);
    }

    /** Publishes {@code total} events (0 = until {@link #stop()}) at {@code perSecond}, in the background. */
    EventPump start(long total, int perSecond) {
        thread = new Thread(() -> run(total, perSecond), "event-pump");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run(long total, int perSecond) {
        long startNanos = System.nanoTime();
        long n = 0;
        while (!stopRequested && (total == 0 || n < total)) {
            long due = (System.nanoTime() - startNanos) * perSecond / 1_000_000_000L + 1;
            while (n < due && (total == 0 || n < total) && !stopRequested) {
                publishOne(n++);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void publishOne(long n) {
        String plan = plans.get((int) (n % plans.size()));
        long perPlan = n / plans.size();
        StepOutput event = new StepOutput(
                (int) (perPlan % 4),
                "line " + perPlan + " of " + plan + ": the quick brown fox jumps over the lazy dog, again and again");
        submitted.incrementAndGet();
        publisher.publish(plan, event).whenComplete((r, err) -> {
            if (err != null) {
                failed.incrementAndGet();
                lastFailure = String.valueOf(err);
            } else {
                published.incrementAndGet();
                record(r);
            }
        });
    }

    private void record(PublishResult r) {
        heads.put(r.planId(), new ClientFleet.PlanHead(r.epoch(), r.seq()));
    }

    /** Stops publishing new events (those submitted still complete). */
    void stop() {
        stopRequested = true;
    }

    /** Waits until the pacing thread finished and every submitted publish completed. */
    void awaitSettled(Duration timeout) {
        await("publisher settled")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        (thread == null || !thread.isAlive()) && published.get() + failed.get() == submitted.get());
    }

    long submitted() {
        return submitted.get();
    }

    long published() {
        return published.get();
    }

    long failed() {
        return failed.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    /** Each plan's head: the last (epoch, seq) assigned to it. */
    Map<String, ClientFleet.PlanHead> heads() {
        return new LinkedHashMap<>(heads);
    }

    @Override
    public void close() {
        stop();
        publisher.close();
    }
}
