package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.event.PlanCompleted;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.token.ClientTokens;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.redis.IndexCursors;
import io.stepcast.gateway.redis.IndexPage;
import io.stepcast.gateway.redis.IndexQuery;
import io.stepcast.gateway.redis.PlanIndex;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/plans} against the index the bridge keeps in the shared test Redis (its own key
 * prefix): newest first, scoped by the token before paging, cursor paging, ETag/304, typed errors.
 */
class PlanIndexIT {

    private static final String SECRET = "plan-index-it-secret-0123456789abcdef-0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.now().minusSeconds(600);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String A = "team-a." + RUN + ".";
    private static final String B = "team-b." + RUN + ".";
    private static final String C = "team-c." + RUN + ".";
    private static final String PREFIX = "pidx" + RUN;
    private static TestGateway gw;
    private static LettuceEventPublisher publisher;
    private static String tokenA;

    @BeforeAll
    static void start() {
        String prefix = PREFIX;
        gw = TestGateway.start(Map.of(
                "stepcast.auth.enabled", "true",
                "stepcast.auth.hs256-secret", SECRET,
                "stepcast.redis.prefix", prefix));
        publisher = LettuceEventPublisher.create(
                gw.redisUri, BridgeConfig.builder().prefix(prefix).build());
        // interleaved, team-b always newer: a page of team-a must not have holes where team-b plans sit
        for (int i = 1; i <= 7; i++) {
            publisher
                    .publish(A + i, new PlanStarted("a" + i, List.of("x", "y")).withTs(T0.plusSeconds(10L * i)))
                    .join();
            if (i <= 3) {
                publisher
                        .publish(B + i, new PlanStarted("b" + i, List.of()).withTs(T0.plusSeconds(10L * i + 5)))
                        .join();
            }
        }
        publisher
                .publish(A + 2, new StepStatus(0, "x", StepState.FAILED).withTs(T0.plusSeconds(200)))
                .join();
        // ties: team-c plans share last_update in pairs (order: plan id descending), some fail
        for (int i = 1; i <= 9; i++) {
            publisher
                    .publish(C + i, new PlanStarted("c" + i, List.of("x")).withTs(T0.plusSeconds(300 + i / 2)))
                    .join();
            if (i % 3 == 0) {
                publisher
                        .publish(C + i, new StepStatus(0, "x", StepState.FAILED).withTs(T0.plusSeconds(300 + i / 2)))
                        .join();
                publisher
                        .publish(C + i, new PlanCompleted(null).withTs(T0.plusSeconds(300 + i / 2)))
                        .join();
            }
        }
        tokenA = ClientTokens.withSecret(SECRET)
                .issue("alice", List.of("team-a." + RUN + ".*"), Duration.ofHours(1), false);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        gw.close();
    }

    private static HttpResponse<String> get(String query, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + tokenA;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return gw.get("/api/plans" + query, all);
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.get("plans").forEach(s -> ids.add(s.get("plan_id").asText()));
        return ids;
    }

    @Test
    void aPageHoldsOnlyGrantedPlansNewestFirstAndNothingOfTheOthers() throws Exception {
        HttpResponse<String> res = get("");
        assertEquals(200, res.statusCode(), res.body());
        JsonNode body = JSON.readTree(res.body());
        assertEquals(List.of(A + 2, A + 7, A + 6, A + 5, A + 4, A + 3, A + 1), ids(body));
        assertFalse(res.body().contains("team-b"), "no id of an ungranted plan: " + res.body());
        assertTrue(body.get("next_cursor").isNull());
        assertTrue(body.get("index").get("epoch").asText().matches("[a-z0-9]{12}"));
        assertTrue(body.get("index").get("seq").asLong() >= 11);
        JsonNode s = body.get("plans").get(0);
        assertEquals("running", s.get("overall_status").asText());
        assertEquals(1, s.get("steps").get("failed").asInt());
        assertEquals(2, s.get("steps").get("total").asInt());

        // the same shape whether a prefix matches ungranted plans or nothing at all
        JsonNode foreign = JSON.readTree(get("?prefix=" + B).body());
        JsonNode nothing = JSON.readTree(get("?prefix=zz-nothing").body());
        assertEquals(0, foreign.get("plans").size());
        assertEquals(nothing.get("plans"), foreign.get("plans"));
        assertEquals(nothing.get("next_cursor"), foreign.get("next_cursor"));

        assertEquals(401, gw.get("/api/plans").statusCode(), "a token is required");
    }

    @Test
    void cursorsPageThroughTheGrantedPlansWithoutGapsOrRepeats() throws Exception {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode body = JSON.readTree(get("?limit=3" + (cursor == null ? "" : "&cursor=" + cursor))
                    .body());
            seen.addAll(ids(body));
            cursor = body.get("next_cursor").isNull()
                    ? null
                    : body.get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(List.of(A + 2, A + 7, A + 6, A + 5, A + 4, A + 3, A + 1), seen);
    }

    @Test
    void prefixAndStatusFilter() throws Exception {
        assertEquals(List.of(A + 7), ids(JSON.readTree(get("?prefix=" + A + "7").body())));
        assertEquals(List.of(), ids(JSON.readTree(get("?status=failed").body())));
        assertEquals(
                7, ids(JSON.readTree(get("?status=running,succeeded").body())).size());
        assertEquals(
                List.of(A + 2), ids(JSON.readTree(get("?status=running&limit=1").body())));
    }

    /** Pages of a query from the start; page {@code n} read from the lex index when {@code lex.test(n)}. */
    private static List<IndexPage> pages(String prefix, Set<String> statuses, int limit, IntPredicate lex) {
        PlanIndex index = gw.context().getBean(PlanIndex.class);
        List<IndexPage> pages = new ArrayList<>();
        IndexPage.Position after = null;
        do {
            List<String> ranges = lex.test(pages.size()) ? IndexQuery.ranges(prefix, List.of("team-*")) : null;
            IndexPage page = index.page(new IndexQuery(p -> p.startsWith(prefix), statuses, limit, after, ranges))
                    .join();
            pages.add(page);
            after = page.next();
        } while (after != null && pages.size() < 30);
        return pages;
    }

    private static List<List<String>> idsOf(List<IndexPage> pages) {
        return pages.stream()
                .map(p -> p.entries().stream().map(IndexPage.Entry::planId).toList())
                .toList();
    }

    @Test
    void lexicographicReadsGiveTheWalksPagesAndCursorsSoStrategiesMixWithoutHolesOrRepeats() {
        for (String prefix : List.of(C, C + "3", A, "team-")) {
            for (Set<String> statuses :
                    List.of(Set.<String>of(), Set.of("running"), Set.of("failed", "succeeded", "cancelled"))) {
                for (int limit : new int[] {1, 2, 4, 50}) {
                    List<IndexPage> walk = pages(prefix, statuses, limit, n -> false);
                    String what = prefix + " " + statuses + " limit " + limit;
                    assertTrue(walk.stream().mapToInt(p -> p.entries().size()).sum() > 0 || !prefix.equals(C), what);
                    assertEquals(idsOf(walk), idsOf(pages(prefix, statuses, limit, n -> true)), what);
                    assertEquals(
                            walk.stream().map(IndexPage::next).toList(),
                            pages(prefix, statuses, limit, n -> true).stream()
                                    .map(IndexPage::next)
                                    .toList(),
                            what);
                    assertEquals(idsOf(walk), idsOf(pages(prefix, statuses, limit, n -> n % 2 == 1)), what);
                }
            }
        }
        assertEquals(
                List.of(
                        List.of(C + 9, C + 8),
                        List.of(C + 7, C + 6),
                        List.of(C + 5, C + 4),
                        List.of(C + 3, C + 2),
                        List.of(C + 1)),
                idsOf(pages(C, Set.of(), 2, n -> true)),
                "ties of last_update by plan id descending");
    }

    @Test
    void aNarrowQueryReadsTheLexicographicIndexAndFallsBackToTheWalkWhenItIsIncomplete() throws Exception {
        RedisLayout layout = new RedisLayout(PREFIX);
        RedisClient client = RedisClient.create(gw.redisUri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> redis = c.sync();
            assertEquals(redis.zcard(layout.indexKey()), redis.zcard(layout.indexIdsKey()));
            // white box: hide A+4 from ids only, keeping ids as large as the index
            redis.zrem(layout.indexIdsKey(), A + 4);
            redis.zadd(layout.indexIdsKey(), 0, "zz-not-indexed");
            try {
                assertEquals(
                        List.of(),
                        ids(JSON.readTree(get("?prefix=" + A + "4").body())),
                        "the narrow query is answered from ids");
                assertFalse(ids(JSON.readTree(get("").body())).contains(A + 4), "the grant team-a.* is narrow too");
                redis.zrem(layout.indexIdsKey(), "zz-not-indexed");
                assertEquals(
                        List.of(A + 4),
                        ids(JSON.readTree(get("?prefix=" + A + "4").body())),
                        "ids smaller than the index (written before it existed): the walk answers");
            } finally {
                redis.zrem(layout.indexIdsKey(), "zz-not-indexed");
                redis.zadd(layout.indexIdsKey(), 0, A + 4);
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void anUnchangedPageAnswers304AndAChangeANewTag() throws Exception {
        HttpResponse<String> first = get("?prefix=" + A + "5");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("?prefix=" + A + "5", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        publisher
                .publish(A + 5, new StepStatus(1, "y", StepState.RUNNING).withTs(T0.plusSeconds(55)))
                .join();
        HttpResponse<String> changed = get("?prefix=" + A + "5", "If-None-Match", etag);
        assertEquals(200, changed.statusCode());
        assertNotEquals(etag, changed.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void badInputGetsATypedErrorNamingTheParameter() throws Exception {
        String valid = IndexCursors.encode(new IndexPage.Position(T0.toEpochMilli(), A + 3));
        String forged = valid.substring(0, valid.length() - 2) + (valid.endsWith("A") ? "BB" : "AA");
        String[][] cases = {
            {"?prefix=-x", "prefix"},
            {"?prefix=" + "p".repeat(129), "prefix"},
            {"?prefix=a%20b", "prefix"},
            {"?limit=501", "limit"},
            {"?limit=0", "limit"},
            {"?limit=ten", "limit"},
            {"?status=runing", "status"},
            {"?status=running,", "status"},
            {"?cursor=not-a-cursor", "cursor"},
            {"?cursor=" + forged, "cursor"}
        };
        for (String[] c : cases) {
            HttpResponse<String> res = get(c[0]);
            assertEquals(400, res.statusCode(), c[0] + " " + res.body());
            JsonNode error = JSON.readTree(res.body());
            assertEquals("bad_request", error.get("code").asText(), res.body());
            assertEquals(c[1], error.get("field").asText(), res.body());
        }
        assertEquals(200, get("?limit=500&cursor=" + valid).statusCode());
    }
}
