package io.stepcast.gateway.redis;

import static io.stepcast.gateway.redis.LuaScript.unavailable;
import static io.stepcast.gateway.redis.LuaScript.unavailableOnError;
import static io.stepcast.gateway.redis.RedisCalls.ascii;
import static io.stepcast.gateway.redis.RedisCalls.number;
import static io.stepcast.gateway.redis.RedisCalls.text;

import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.command.CommandRecord;
import io.stepcast.bridge.command.CommandStream;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@link PlanStore} over the instance's command connection. Reads are small read-only Lua scripts
 * (EVALSHA, falling back to EVAL after a Redis restart flushed the script cache) so meta and data come
 * from one instant.
 */
@Singleton
public final class LettucePlanStore implements PlanStore {

    private static final LuaScript SNAPSHOT = new LuaScript("""
            local m = redis.call('HMGET', KEYS[1], 'epoch', 'seq')
            return {m[1], m[2], redis.call('GET', KEYS[2])}
            """);
    private static final LuaScript READ_LOG = new LuaScript("""
            local m = redis.call('HMGET', KEYS[1], 'epoch', 'seq')
            return {m[1], m[2], redis.call('XRANGE', KEYS[2], ARGV[1], '+', 'COUNT', ARGV[2])}
            """);

    private final RedisConnections connections;
    private final RedisLayout layout;

    public LettucePlanStore(RedisConnections connections, GatewayRedisConfig config) {
        this.connections = connections;
        this.layout = new RedisLayout(config.prefix());
    }

    @Override
    public CompletableFuture<PlanSnapshot> snapshot(String planId) {
        String[] keys = {layout.metaKey(planId), layout.stateKey(planId)};
        return eval(SNAPSHOT, keys)
                .thenApply(reply -> new PlanSnapshot(text(reply.get(0)), number(reply.get(1)), (byte[]) reply.get(2)));
    }

    @Override
    public CompletableFuture<LogPage> readLog(String planId, long afterSeq, int limit) {
        if (afterSeq < 0 || limit < 1) {
            throw new IllegalArgumentException("afterSeq >= 0 and limit >= 1 required");
        }
        return readLog(new String[] {layout.metaKey(planId), layout.logKey(planId)}, afterSeq, limit);
    }

    @Override
    public CompletableFuture<LogPage> readIndexLog(long afterSeq, int limit) {
        if (afterSeq < 0 || limit < 1) {
            throw new IllegalArgumentException("afterSeq >= 0 and limit >= 1 required");
        }
        return readLog(new String[] {layout.indexMetaKey(), layout.indexLogKey()}, afterSeq, limit);
    }

    private CompletableFuture<LogPage> readLog(String[] keys, long afterSeq, int limit) {
        return eval(READ_LOG, keys, ascii(RedisLayout.logEntryId(afterSeq + 1)), ascii(Integer.toString(limit)))
                .thenApply(reply -> {
                    String epoch = text(reply.get(0));
                    List<?> raw = (List<?>) reply.get(2);
                    List<LogPage.LogEntry> entries = new ArrayList<>(raw.size());
                    for (Object item : raw) {
                        entries.add(entry((List<?>) item));
                    }
                    return new LogPage(epoch, number(reply.get(1)), entries);
                });
    }

    @Override
    public CompletableFuture<String> appendCommand(String planId, CommandRecord command) {
        // the same entry as the bridge's CommandStream.append, written through this byte[]-valued connection
        Map<String, byte[]> fields = new LinkedHashMap<>();
        command.toFields().forEach((field, value) -> fields.put(field, value.getBytes(StandardCharsets.UTF_8)));
        String key = layout.commandsKey(planId);
        try {
            RedisClusterAsyncCommands<String, byte[]> commands = connections.commands();
            CompletableFuture<String> id = unavailableOnError(commands.xadd(
                    key, XAddArgs.Builder.maxlen(CommandStream.MAX_LEN).approximateTrimming(), fields));
            commands.expire(key, CommandStream.TTL.toSeconds());
            return id;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable(e));
        }
    }

    private CompletableFuture<List<Object>> eval(LuaScript script, String[] keys, byte[]... args) {
        try {
            return RedisCalls.eval(connections.commands(), script, keys, args);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable(e));
        }
    }

    private static LogPage.LogEntry entry(List<?> item) {
        String id = text(item.get(0));
        long seq = Long.parseLong(id.substring(0, id.indexOf('-')));
        List<?> fields = (List<?>) item.get(1);
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (RedisLayout.LOG_FIELD.equals(text(fields.get(i)))) {
                return new LogPage.LogEntry(seq, (byte[]) fields.get(i + 1));
            }
        }
        throw new RedisUnavailableException("log entry " + id + " has no field " + RedisLayout.LOG_FIELD);
    }
}
