package io.stepcast.deploy.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.EventLines;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The orchestrator of the browser tests: publishes the events e2e.mjs asks for through the
 * orchestrator-bridge ({@link LettuceEventPublisher}), exactly as a real orchestrator does, and
 * waits until Redis has applied them.
 */
final class BridgeOrchestrator implements AutoCloseable {

    private final LettuceEventPublisher publisher;

    BridgeOrchestrator(String redisUri) {
        this(redisUri, BridgeConfig.defaults());
    }

    /** An orchestrator with these bridge settings (e.g. cluster mode). */
    BridgeOrchestrator(String redisUri, BridgeConfig config) {
        this.publisher = LettuceEventPublisher.create(redisUri, config);
    }

    /** Publishes {@code [{event, data}, ...]} atomically and in order; returns their seqs. */
    List<Long> publish(String planId, JsonNode events) throws Exception {
        List<PlanEvent> batch = new ArrayList<>();
        for (JsonNode e : events) {
            JsonNode data = e.get("data");
            batch.add(EventLines.event(
                    e.path("event").asText(),
                    data instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode(),
                    null,
                    null));
        }
        List<PublishResult> results = publisher.publishBatch(planId, batch).get(30, TimeUnit.SECONDS);
        return results.stream().map(PublishResult::seq).toList();
    }

    @Override
    public void close() {
        publisher.close();
    }
}
