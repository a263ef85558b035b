package io.stepcast.deploy.loadtest.publish;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes through the orchestrator bridge ({@link LettuceEventPublisher}, default settings): the
 * publish script assigns seq and epoch and PUBLISHes the frame on {@code stepcast:{<plan>}}, which
 * both the Stepcast gateway and the raw Netty ceiling subscribe to.
 */
public final class BridgeSource extends AsyncEventSource {

    private final LettuceEventPublisher publisher;

    public BridgeSource(String redisUri) {
        this(redisUri, BridgeConfig.defaults());
    }

    /** A bridge with these settings (e.g. cluster mode). */
    public BridgeSource(String redisUri, BridgeConfig config) {
        this.publisher = LettuceEventPublisher.create(redisUri, config);
    }

    @Override
    public void prepare(Collection<PublishedPlan> plans, Duration timeout) throws Exception {
        List<CompletableFuture<PublishResult>> started = new ArrayList<>();
        List<PublishedPlan> order = new ArrayList<>(plans);
        for (PublishedPlan p : order) {
            started.add(publisher.publish(p.plan(), new PlanStarted("loadtest " + p.plan(), List.of("output"))));
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (int i = 0; i < order.size(); i++) {
            PublishResult r = started.get(i).join();
            order.get(i).issued(r.seq());
            order.get(i).epoch(r.epoch());
        }
    }

    @Override
    public void publish(PublishedPlan plan, long publishedRel) {
        long expected = plan.nextSeq();
        started();
        publisher
                .publish(plan.plan(), new StepOutput(0, EventSource.chunk(publishedRel)))
                .whenComplete((r, e) -> {
                    if (e != null || r.seq() != expected) {
                        failed(() -> "bridge publish " + plan.plan() + " expected seq " + expected + ": "
                                + (e != null ? e : "got seq " + r.seq()));
                    }
                    finished();
                });
    }

    @Override
    public void close() {
        publisher.close();
    }
}
