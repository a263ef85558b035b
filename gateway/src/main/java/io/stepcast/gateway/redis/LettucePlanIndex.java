package io.stepcast.gateway.redis;

import static io.stepcast.gateway.redis.LuaScript.unavailable;
import static io.stepcast.gateway.redis.LuaScript.unavailableOnError;
import static io.stepcast.gateway.redis.RedisCalls.ascii;
import static io.stepcast.gateway.redis.RedisCalls.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lettuce.core.KeyValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.stepcast.bridge.RedisLayout;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@link PlanIndex} over the instance's command connection, standalone or cluster (every index key
 * shares the {@code {_plans}} slot). A page is read in batches: one small read-only script returns the
 * index meta and the next ids by descending score, ids the query does not admit are dropped, then the
 * admitted ids' summaries are fetched ({@code HMGET}) and filtered by status, until the page is full or
 * the index is exhausted. Cost grows with the entries skipped, so a query with {@link IndexQuery#ranges()}
 * first asks the lexicographic twin of the index ({@code ids}, every plan at score 0): when its ranges
 * hold at most {@value #LEX_MAX} ids (and {@code ids} is as large as the index, i.e. not an index
 * written before it existed), one script returns those ids with their scores, they are ordered and
 * filtered here exactly like the walk (same order, same cursor positions) and only the page's summaries
 * are read. Otherwise the index is walked in batches of {@value #BATCH}. An {@linkplain #ids ids-only}
 * read takes the same steps without the {@code HMGET}s.
 */
@Singleton
public final class LettucePlanIndex implements PlanIndex {

    static final int BATCH = 500;
    private static final JsonFactory JSON = new JsonFactory();
    private static final LuaScript RANGE = new LuaScript("""
            local m = redis.call('HMGET', KEYS[2], 'epoch', 'seq')
            return {m[1], m[2], redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], '-inf', 'WITHSCORES',
                                          'LIMIT', ARGV[2], ARGV[3])}
            """);

    static final int LEX_MAX = 1000;
    private static final LuaScript LEX = new LuaScript("""
            local m = redis.call('HMGET', KEYS[3], 'epoch', 'seq')
            if redis.call('ZCARD', KEYS[1]) < redis.call('ZCARD', KEYS[2]) then return {m[1], m[2], 0} end
            local max, total, out = tonumber(ARGV[1]), 0, {}
            for i = 2, #ARGV do
              total = total + redis.call('ZLEXCOUNT', KEYS[1], '[' .. ARGV[i], '[' .. ARGV[i] .. '\\255')
              if total > max then return {m[1], m[2], 0} end
            end
            for i = 2, #ARGV do
              local ids = redis.call('ZRANGEBYLEX', KEYS[1], '[' .. ARGV[i], '[' .. ARGV[i] .. '\\255')
              if #ids > 0 then
                local scores = redis.call('ZMSCORE', KEYS[2], unpack(ids))
                for j = 1, #ids do
                  if scores[j] then out[#out + 1] = ids[j]; out[#out + 1] = scores[j] end
                end
              end
            end
            return {m[1], m[2], out}
            """);

    private final RedisConnections connections;
    private final RedisLayout layout;

    public LettucePlanIndex(RedisConnections connections, GatewayRedisConfig config) {
        this.connections = connections;
        this.layout = new RedisLayout(config.prefix());
    }

    @Override
    public CompletableFuture<IndexPage> page(IndexQuery query) {
        return read(query, false);
    }

    @Override
    public CompletableFuture<IndexPage> ids(IndexQuery query) {
        if (!query.statuses().isEmpty()) {
            throw new IllegalArgumentException("an ids-only read has no status filter");
        }
        return read(query, true);
    }

    private CompletableFuture<IndexPage> read(IndexQuery query, boolean idsOnly) {
        try {
            RedisClusterAsyncCommands<String, byte[]> redis = connections.commands();
            return query.ranges() == null ? batch(redis, query, 0, new Reading(idsOnly)) : lex(redis, query, idsOnly);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable(e));
        }
    }

    /** What a page read has gathered so far. */
    private static final class Reading {
        /** Summaries are not read: entries carry empty ones. */
        final boolean idsOnly;

        Reading(boolean idsOnly) {
            this.idsOnly = idsOnly;
        }

        String epoch;
        long seq;
        final List<IndexPage.Entry> entries = new ArrayList<>();
        final List<Long> scores = new ArrayList<>();
    }

    private CompletableFuture<IndexPage> batch(
            RedisClusterAsyncCommands<String, byte[]> redis, IndexQuery query, long offset, Reading reading) {
        IndexPage.Position after = query.after();
        String max = after == null ? "+inf" : Long.toString(after.score());
        String[] keys = {layout.indexKey(), layout.indexMetaKey()};
        byte[][] args = {ascii(max), ascii(Long.toString(offset)), ascii(Integer.toString(BATCH))};
        return RedisCalls.eval(redis, RANGE, keys, args).thenCompose(reply -> {
            if (offset == 0) {
                reading.epoch = text(reply.get(0));
                reading.seq = reply.get(1) == null ? 0 : Long.parseLong(text(reply.get(1)));
            }
            List<?> flat = (List<?>) reply.get(2);
            List<String> ids = new ArrayList<>();
            List<Long> scores = new ArrayList<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                String id = text(flat.get(i));
                long score = (long) Double.parseDouble(text(flat.get(i + 1)));
                if ((after == null || after.isBefore(score, id))
                        && RedisLayout.isValidPlanId(id)
                        && query.plans().test(id)) {
                    ids.add(id);
                    scores.add(score);
                }
            }
            boolean exhausted = flat.size() / 2 < BATCH;
            int wanted = query.limit() + 1 - reading.entries.size();
            if (query.statuses().isEmpty() && ids.size() > wanted) {
                // without a status filter every admitted id is kept: read no more summaries than the page needs
                ids.subList(wanted, ids.size()).clear();
                scores.subList(wanted, scores.size()).clear();
            }
            CompletableFuture<List<KeyValue<String, byte[]>>> fetched = ids.isEmpty() || reading.idsOnly
                    ? CompletableFuture.completedFuture(withoutSummaries(ids))
                    : unavailableOnError(redis.hmget(layout.indexSummariesKey(), ids.toArray(new String[0])));
            return fetched.thenCompose(values -> {
                keep(query, reading, values, scores);
                return exhausted || reading.entries.size() > query.limit()
                        ? CompletableFuture.completedFuture(finish(query, reading))
                        : batch(redis, query, offset + BATCH, reading);
            });
        });
    }

    /** Candidates from the lexicographic index, or the walk when its ranges are too wide. */
    private CompletableFuture<IndexPage> lex(
            RedisClusterAsyncCommands<String, byte[]> redis, IndexQuery query, boolean idsOnly) {
        String[] keys = {layout.indexIdsKey(), layout.indexKey(), layout.indexMetaKey()};
        byte[][] args = new byte[query.ranges().size() + 1][];
        args[0] = ascii(Integer.toString(LEX_MAX));
        for (int i = 0; i < query.ranges().size(); i++) {
            args[i + 1] = ascii(query.ranges().get(i));
        }
        return RedisCalls.eval(redis, LEX, keys, args).thenCompose(reply -> {
            if (!(reply.get(2) instanceof List<?> flat)) {
                return batch(redis, query, 0, new Reading(idsOnly));
            }
            Reading reading = new Reading(idsOnly);
            reading.epoch = text(reply.get(0));
            reading.seq = reply.get(1) == null ? 0 : Long.parseLong(text(reply.get(1)));
            IndexPage.Position after = query.after();
            Map<String, Long> found = new HashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                String id = text(flat.get(i));
                long score = (long) Double.parseDouble(text(flat.get(i + 1)));
                if ((after == null || after.isBefore(score, id))
                        && RedisLayout.isValidPlanId(id)
                        && query.plans().test(id)) {
                    found.put(id, score);
                }
            }
            List<Map.Entry<String, Long>> ordered = new ArrayList<>(found.entrySet());
            ordered.sort(Map.Entry.<String, Long>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey())
                    .reversed());
            return fetch(redis, query, reading, ordered, 0);
        });
    }

    /** Reads the summaries of the ordered candidates from {@code from} until the page is full. */
    private CompletableFuture<IndexPage> fetch(
            RedisClusterAsyncCommands<String, byte[]> redis,
            IndexQuery query,
            Reading reading,
            List<Map.Entry<String, Long>> ordered,
            int from) {
        if (from >= ordered.size() || reading.entries.size() > query.limit()) {
            return CompletableFuture.completedFuture(finish(query, reading));
        }
        int size = query.statuses().isEmpty() ? query.limit() + 1 - reading.entries.size() : BATCH;
        List<Map.Entry<String, Long>> chunk = ordered.subList(from, Math.min(ordered.size(), from + size));
        String[] ids = chunk.stream().map(Map.Entry::getKey).toArray(String[]::new);
        List<Long> scores = chunk.stream().map(Map.Entry::getValue).toList();
        CompletableFuture<List<KeyValue<String, byte[]>>> fetched = reading.idsOnly
                ? CompletableFuture.completedFuture(withoutSummaries(List.of(ids)))
                : unavailableOnError(redis.hmget(layout.indexSummariesKey(), ids));
        return fetched.thenCompose(values -> {
            keep(query, reading, values, scores);
            return fetch(redis, query, reading, ordered, from + chunk.size());
        });
    }

    private static void keep(
            IndexQuery query, Reading reading, List<KeyValue<String, byte[]>> values, List<Long> scores) {
        for (int i = 0; i < values.size() && reading.entries.size() <= query.limit(); i++) {
            KeyValue<String, byte[]> kv = values.get(i);
            if (!kv.hasValue()) {
                continue; // removed between the two reads
            }
            if (!query.statuses().isEmpty() && !query.statuses().contains(overallStatus(kv.getValue()))) {
                continue;
            }
            reading.entries.add(new IndexPage.Entry(kv.getKey(), kv.getValue()));
            reading.scores.add(scores.get(i));
        }
    }

    /** Entries of an ids-only read: every id present, with an empty summary. */
    private static List<KeyValue<String, byte[]>> withoutSummaries(List<String> ids) {
        return ids.stream().map(id -> KeyValue.just(id, new byte[0])).toList();
    }

    private static IndexPage finish(IndexQuery query, Reading reading) {
        List<IndexPage.Entry> entries = reading.entries;
        IndexPage.Position next = null;
        if (entries.size() > query.limit()) {
            entries = entries.subList(0, query.limit());
            IndexPage.Entry last = entries.get(entries.size() - 1);
            next = new IndexPage.Position(reading.scores.get(entries.size() - 1), last.planId());
        }
        return new IndexPage(reading.epoch, reading.seq, entries, next);
    }

    /** The top-level {@code overall_status} of a summary, or null. */
    static String overallStatus(byte[] summary) {
        try (JsonParser p = JSON.createParser(summary)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("overall_status".equals(name)) {
                    return value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
