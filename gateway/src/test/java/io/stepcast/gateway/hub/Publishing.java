package io.stepcast.gateway.hub;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.EventPublisher;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Publishes test events with the bridge's real publisher. */
final class Publishing implements AutoCloseable {

    final EventPublisher publisher;

    Publishing(String redisUri) {
        this(redisUri, BridgeConfig.defaults());
    }

    Publishing(String redisUri, BridgeConfig config) {
        this.publisher = LettuceEventPublisher.create(redisUri, config);
    }

    static String newPlan(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Publishes {@code count} step_output events, waiting for each batch of 100; returns the last result. */
    PublishResult publish(String planId, int count) {
        PublishResult last = null;
        List<CompletableFuture<PublishResult>> window = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            window.add(publisher.publish(planId, new StepOutput(0, "line " + i)));
            if (window.size() == 100 || i == count - 1) {
                for (CompletableFuture<PublishResult> f : window) {
                    last = join(f);
                }
                window.clear();
            }
        }
        return last;
    }

    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("publish failed", e);
        }
    }

    @Override
    public void close() {
        publisher.close();
    }
}
