package io.stepcast.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.cluster.SlotHash;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** What the Redis Cluster ITs of this package share: plans on every master, and one plan's round trip. */
final class ClusterPlans {

    private ClusterPlans() {}

    /** Plan ids {@code <run>-0, <run>-1, …}, as many as it takes for their channels to cover 3 masters. */
    static List<String> overThreeMasters(TestRedisCluster cluster, String prefix) {
        List<String> plans = new ArrayList<>();
        Set<Integer> masters = new HashSet<>();
        String run = TestGateway.planId(prefix);
        for (int i = 0; masters.size() < 3; i++) {
            plans.add(run + "-" + i);
            masters.add(cluster.masterOf(SlotHash.getSlot(RedisLayout.defaults().channel(run + "-" + i))));
        }
        return plans;
    }

    /**
     * Publishes the plan's start, subscribes {@code ws} (subscribed, then its snapshot), then publishes
     * one step output and expects it live as seq 2.
     */
    static void snapshotThenLiveEvent(WsClient ws, LettuceEventPublisher publisher, String plan, String name)
            throws Exception {
        publisher.publish(plan, new PlanStarted(name, List.of("build"))).get(30, TimeUnit.SECONDS);
        ws.send("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}");
        ws.next("subscribed");
        assertEquals(plan, ws.next("snapshot").path("plan_id").asText());
        publisher.publish(plan, new StepOutput(0, "line\n")).get(30, TimeUnit.SECONDS);
        JsonNode event = ws.next("event");
        assertEquals(2, event.path("seq").asLong(), event::toString);
    }
}
