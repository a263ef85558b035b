package io.stepcast.gateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.gateway.TestGateway;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An ids-only read of the plan index gives the ids of the page a full read gives, walked or lexicographic. */
class PlanIndexIdsIT {

    private static final Instant T0 = Instant.now().minusSeconds(600);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String A = "team-a." + RUN + ".";
    private static final String B = "team-b." + RUN + ".";
    private static final String PREFIX = "pids" + RUN;
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of("stepcast.redis.prefix", PREFIX));
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(
                gw.redisUri, BridgeConfig.builder().prefix(PREFIX).build())) {
            for (int i = 1; i <= 6; i++) { // interleaved, team-b always newer
                publisher
                        .publish(A + i, new PlanStarted("a", List.of()).withTs(T0.plusSeconds(10L * i)))
                        .join();
                publisher
                        .publish(B + i, new PlanStarted("b", List.of()).withTs(T0.plusSeconds(10L * i + 5)))
                        .join();
            }
        }
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static List<String> ids(IndexPage page) {
        return page.entries().stream().map(IndexPage.Entry::planId).toList();
    }

    @Test
    void anIdsOnlyReadGivesThePagesIdsInOrderWithoutSummaries() {
        PlanIndex index = gw.context().getBean(PlanIndex.class);
        for (String prefix : List.of(A, "team-", A + "3")) {
            for (int limit : new int[] {1, 4, 50}) {
                for (List<String> ranges : Arrays.asList(null, IndexQuery.ranges(prefix, List.of("team-*")))) {
                    IndexQuery query = new IndexQuery(p -> p.startsWith(prefix), Set.of(), limit, null, ranges);
                    IndexPage page = index.page(query).join();
                    IndexPage only = index.ids(query).join();
                    String what = prefix + " limit " + limit + " ranges " + ranges;
                    assertTrue(!page.entries().isEmpty(), what);
                    assertEquals(ids(page), ids(only), what);
                    assertEquals(page.next(), only.next(), what);
                    assertTrue(only.entries().stream().allMatch(e -> e.summary().length == 0), what);
                }
            }
        }
    }
}
