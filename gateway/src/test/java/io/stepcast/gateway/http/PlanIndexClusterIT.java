package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.cluster.SlotHash;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.gateway.TestGateway;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** {@code GET /api/plans} of a cluster-mode gateway: plans on every master, one index slot, cursor paging. */
class PlanIndexClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aClusterGatewayPagesThroughTheIndexOfPlansOnEveryMaster() throws Exception {
        TestRedisCluster.assumeAvailable();
        TestRedisCluster cluster = TestRedisCluster.shared();
        String run = UUID.randomUUID().toString().substring(0, 6);
        String prefix = "cpidx" + run;
        RedisLayout layout = new RedisLayout(prefix);
        Instant t0 = Instant.now().minusSeconds(600);
        List<String> newestFirst = new ArrayList<>();
        Set<Integer> masters = new HashSet<>();
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(
                        cluster.uri(),
                        BridgeConfig.builder()
                                .prefix(prefix)
                                .redisMode(RedisMode.CLUSTER)
                                .build());
                TestGateway gw = TestGateway.onCluster(cluster.uri(), Map.of("stepcast.redis.prefix", prefix))) {
            for (int i = 0; i < 12; i++) {
                String plan = "c" + run + "-" + i;
                masters.add(cluster.masterOf(SlotHash.getSlot(layout.channel(plan))));
                publisher
                        .publish(plan, new PlanStarted("p", List.of("s")).withTs(t0.plusSeconds(i)))
                        .join();
                publisher
                        .publish(plan, new StepStatus(0, "s", StepState.SUCCEEDED).withTs(t0.plusSeconds(i)))
                        .join();
                newestFirst.add(0, plan);
            }
            assertEquals(3, masters.size(), "the plans live on every master");
            // the walk (no prefix), the lexicographic index (a prefix), and both mixed page by page
            assertEquals(newestFirst, pageThrough(gw, page -> ""));
            assertEquals(newestFirst, pageThrough(gw, page -> "&prefix=c" + run + "-"));
            assertEquals(newestFirst, pageThrough(gw, page -> page % 2 == 0 ? "" : "&prefix=c" + run));
        }
    }

    private static List<String> pageThrough(TestGateway gw, IntFunction<String> prefixOfPage) throws Exception {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int page = 0;
        do {
            HttpResponse<String> res = gw.get("/api/plans?limit=5&status=running" + prefixOfPage.apply(page++)
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, res.statusCode(), res.body());
            JsonNode body = JSON.readTree(res.body());
            body.get("plans").forEach(s -> {
                seen.add(s.get("plan_id").asText());
                assertEquals(1, s.get("steps").get("succeeded").asInt());
            });
            cursor = body.get("next_cursor").isNull()
                    ? null
                    : body.get("next_cursor").asText();
            assertTrue(seen.size() <= 12);
        } while (cursor != null);
        return seen;
    }
}
