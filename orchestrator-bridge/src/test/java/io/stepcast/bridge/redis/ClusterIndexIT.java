package io.stepcast.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Range;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.cli.BridgeCli;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.bridge.testing.TestRedisCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plan index on a Redis Cluster: the publish script returns a changed summary, the publisher upserts
 * it with index.lua on the {_plans} slot (idempotent), and index-repair rebuilds it from every master.
 */
class ClusterIndexIT {

    @BeforeAll
    static void cluster() {
        TestRedisCluster.assumeAvailable();
    }

    @Test
    void summariesOfPlansOnEveryMasterReachTheOneIndexSlotAndRepairRebuildsThem() throws Exception {
        TestRedisCluster cluster = TestRedisCluster.shared();
        String prefix = "cidx" + UUID.randomUUID().toString().substring(0, 8);
        RedisLayout layout = new RedisLayout(prefix);
        BridgeConfig config = BridgeConfig.builder()
                .prefix(prefix)
                .redisMode(RedisMode.CLUSTER)
                .build();
        List<String> plans = new ArrayList<>();
        Set<Integer> masters = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String plan = RedisInspector.newPlanId();
            plans.add(plan);
            masters.add(cluster.masterOf(SlotHash.getSlot(layout.channel(plan))));
        }
        assertEquals(3, masters.size(), "30 plans land on all 3 masters");
        RedisClusterClient client = RedisClusterClient.create(cluster.uri());
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(cluster.uri(), config);
                StatefulRedisClusterConnection<String, String> c = client.connect()) {
            RedisAdvancedClusterCommands<String, String> redis = c.sync();
            Map<String, PublishResult> last = new HashMap<>();
            for (String plan : plans) {
                publisher
                        .publish(plan, new PlanStarted("job", List.of("a", "b")))
                        .join();
                publisher.publish(plan, new StepOutput(0, "out")).join();
                last.put(
                        plan,
                        publisher
                                .publish(plan, new StepStatus(1, "b", StepState.RUNNING))
                                .join());
                publisher.publish(plan, new StepOutput(1, "out")).join();
            }
            assertEquals(30L, redis.zcard(layout.indexKey()));
            assertEquals(plans.stream().sorted().toList(), redis.zrangebylex(layout.indexIdsKey(), Range.unbounded()));
            assertEquals(30L, redis.zcount(layout.indexIdsKey(), Range.create(0, 0)), "every id at score 0");
            assertEquals("60", redis.hget(layout.indexMetaKey(), "seq"), "two changes per plan, none per output");
            assertEquals(60L, redis.xlen(layout.indexLogKey()));
            for (String plan : plans) {
                JsonNode s = PlanIndexIT.json(redis.hget(layout.indexSummariesKey(), plan));
                assertEquals("running", s.get("overall_status").asText());
                assertEquals(1, s.get("steps").get("running").asInt());
                assertEquals(1, s.get("steps").get("pending").asInt());
                assertEquals(last.get(plan).seq(), s.get("seq").asLong());
                assertEquals(last.get(plan).epoch(), s.get("epoch").asText());
            }

            // idempotent: an older summary of the same plan epoch changes nothing
            String plan = plans.get(0);
            String current = redis.hget(layout.indexSummariesKey(), plan);
            String older =
                    current.replaceFirst("\"seq\":\\d+}$", "\"seq\":1}").replace("\"running\":1", "\"running\":0");
            try (StatefulRedisClusterConnection<byte[], byte[]> bytes = client.connect(ByteArrayCodec.INSTANCE)) {
                assertFalse(IndexScript.run(
                                bytes.async(), true, layout, plan, IndexScript.Mode.UPSERT, older, config.metaTtl())
                        .join());
            }
            assertEquals(current, redis.hget(layout.indexSummariesKey(), plan));

            // lost: a crash between the two calls, or the index deleted; repair rebuilds it from the states
            redis.del(layout.indexKey(), layout.indexSummariesKey(), layout.indexIdsKey());
            redis.del(layout.stateKey(plans.get(1)), layout.metaKey(plans.get(1)), layout.logKey(plans.get(1)));
            redis.zadd(layout.indexKey(), System.currentTimeMillis(), "gone-plan");
            assertEquals("plans 29 repaired 29 removed 1", repair(cluster.uri(), prefix));
            assertEquals(29L, redis.zcard(layout.indexKey()));
            assertEquals(
                    plans.stream().filter(p -> !p.equals(plans.get(1))).sorted().toList(),
                    redis.zrangebylex(layout.indexIdsKey(), Range.unbounded()),
                    "ids rebuilt with the index, without the plan whose state is gone");
            assertNull(redis.hget(layout.indexSummariesKey(), plans.get(1)));
            JsonNode s = PlanIndexIT.json(redis.hget(layout.indexSummariesKey(), plans.get(2)));
            assertEquals(1, s.get("steps").get("running").asInt());
            assertEquals(last.get(plans.get(2)).epoch(), s.get("epoch").asText());
            List<String> frames = new ArrayList<>();
            redis.xrange(layout.indexLogKey(), Range.create("-", "+"))
                    .forEach(m -> frames.add(m.getBody().get("f")));
            assertTrue(frames.get(frames.size() - 1).contains("\"type\":\"plan_removed\""), frames.toString());

            assertEquals("plans 29 repaired 0 removed 0", repair(cluster.uri(), prefix), "idempotent");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Runs {@code index-repair} of the bridge CLI in cluster mode; returns its stdout line. */
    static String repair(String uri, String prefix, String... mode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("index-repair", "--redis", uri, "--prefix", prefix));
        args.addAll(mode.length == 0 ? List.of("--redis-mode", "cluster") : List.of(mode));
        int code = BridgeCli.run(
                args.toArray(new String[0]),
                Map.of(),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
