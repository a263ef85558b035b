package io.stepcast.gateway.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.cluster.SlotHash;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The live plan index of a cluster-mode gateway: plans on every master, one index slot (SSUBSCRIBE), resume. */
class LiveIndexClusterIT {

    @Test
    void aClusterGatewayStreamsIndexChangesOfPlansOnEveryMasterAndResumes() throws Exception {
        TestRedisCluster.assumeAvailable();
        TestRedisCluster cluster = TestRedisCluster.shared();
        String run = UUID.randomUUID().toString().substring(0, 6);
        String prefix = "clidx" + run;
        RedisLayout layout = new RedisLayout(prefix);
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(
                        cluster.uri(),
                        BridgeConfig.builder()
                                .prefix(prefix)
                                .redisMode(RedisMode.CLUSTER)
                                .build());
                TestGateway gw = TestGateway.onCluster(cluster.uri(), Map.of("stepcast.redis.prefix", prefix))) {
            publisher
                    .publish("c" + run + "-first", new PlanStarted("p", List.of("s")))
                    .join();
            String epoch;
            long seq = 0;
            Set<Integer> masters = new HashSet<>();
            try (WsClient ws = WsClient.connect(gw.wsUri())) {
                ws.next("connected");
                ws.send("{\"type\":\"watch_plans\",\"prefix\":\"c" + run + "-\"}");
                JsonNode page = ws.next("plans");
                assertEquals(1, page.get("plans").size(), page.toString());
                epoch = page.get("epoch").asText();
                for (int i = 0; i < 9; i++) {
                    String plan = "c" + run + "-" + i;
                    masters.add(cluster.masterOf(SlotHash.getSlot(layout.channel(plan))));
                    publisher.publish(plan, new PlanStarted("p", List.of("s"))).join();
                    JsonNode u = ws.next("plan_update");
                    assertEquals(plan, u.get("summary").get("plan_id").asText());
                    seq = u.get("seq").asLong();
                }
            }
            assertEquals(3, masters.size(), "the plans live on every master");
            publisher
                    .publish("c" + run + "-late", new PlanStarted("p", List.of("s")))
                    .join();
            try (WsClient ws = WsClient.connect(gw.wsUri())) {
                ws.next("connected");
                ws.send("{\"type\":\"watch_plans\",\"prefix\":\"c" + run + "-\",\"since\":" + seq + ",\"epoch\":\""
                        + epoch + "\"}");
                JsonNode resumed = ws.next("plans");
                assertTrue(resumed.get("recovered").asBoolean(), resumed.toString());
                JsonNode late = ws.next("plan_update");
                assertEquals(
                        "c" + run + "-late", late.get("summary").get("plan_id").asText());
                assertFalse(late.get("seq").asLong() <= seq);
            }
        }
    }
}
