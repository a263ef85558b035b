package io.stepcast.gateway.presence;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.redis.LuaScript;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The one presence script, run once per heartbeat: it applies this gateway's request to its own
 * hash and to the total, refreshes its deadline, and reaps every gateway whose deadline passed
 * (subtracting its share from the total). Every key is in the slot of {@code {_presence}}, so it runs
 * unchanged on a Redis Cluster.
 *
 * <p>KEYS: gateways zset, total hash, this gateway's hash. ARGV: gateway id, prefix of the gateway
 * hashes, deadline span (ms), mode ({@code delta}, {@code full}, {@code leave}), expected version,
 * new version, then field/count pairs. Reply: {@code {1, reaped}} applied, {@code {0, 0}} refused
 * (Redis does not hold the expected version of this gateway: re-register with {@code full}).
 */
final class PresenceScript {

    /** The share's version field (no plan id starts with {@code ~}). */
    static final String VERSION = "~v";
    /** Gateways reaped by one call at most (the rest by the next heartbeats). */
    static final int REAP_LIMIT = 64;
    /** Keys expire after this many deadline spans without any heartbeat (no gateway left). */
    static final int IDLE_SPANS = 10;

    static final String SOURCE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local span = tonumber(ARGV[3])
            local function subtract(key)
              local share = redis.call('HGETALL', key)
              for i = 1, #share, 2 do
                if share[i] ~= '~v' and redis.call('HINCRBY', KEYS[2], share[i], -tonumber(share[i + 1])) <= 0 then
                  redis.call('HDEL', KEYS[2], share[i])
                end
              end
              redis.call('DEL', key)
            end
            local mode = ARGV[4]
            if mode == 'delta' then
              if not redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('HGET', KEYS[3], '~v') ~= ARGV[5] then
                return {0, 0}
              end
              for i = 7, #ARGV, 2 do
                local d = tonumber(ARGV[i + 1])
                if redis.call('HINCRBY', KEYS[3], ARGV[i], d) <= 0 then redis.call('HDEL', KEYS[3], ARGV[i]) end
                if redis.call('HINCRBY', KEYS[2], ARGV[i], d) <= 0 then redis.call('HDEL', KEYS[2], ARGV[i]) end
              end
            else
              subtract(KEYS[3])
              redis.call('ZREM', KEYS[1], ARGV[1])
              if mode == 'full' then
                for i = 7, #ARGV, 2 do
                  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
                  redis.call('HINCRBY', KEYS[2], ARGV[i], tonumber(ARGV[i + 1]))
                end
              end
            end
            if mode ~= 'leave' then
              redis.call('HSET', KEYS[3], '~v', ARGV[6])
              redis.call('ZADD', KEYS[1], now + span, ARGV[1])
              redis.call('PEXPIRE', KEYS[3], span * %1$d)
            end
            local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now, 'LIMIT', 0, %2$d)
            for _, id in ipairs(dead) do
              subtract(ARGV[2] .. id)
              redis.call('ZREM', KEYS[1], id)
            end
            redis.call('PEXPIRE', KEYS[1], span * %1$d)
            redis.call('PEXPIRE', KEYS[2], span * %1$d)
            return {1, #dead}
            """.formatted(IDLE_SPANS, REAP_LIMIT);

    private static final LuaScript SCRIPT = new LuaScript(SOURCE);

    private final String[] keys;
    private final String gatewayId;
    private final String gatewayKeyPrefix;
    private final long spanMillis;

    PresenceScript(RedisLayout layout, String gatewayId, long spanMillis) {
        this.keys = new String[] {
            layout.presenceGatewaysKey(), layout.presenceTotalKey(), layout.presenceGatewayKey(gatewayId)
        };
        this.gatewayId = gatewayId;
        this.gatewayKeyPrefix = layout.presenceGatewayKeyPrefix();
        this.spanMillis = spanMillis;
    }

    /** Runs one request; completes with true when applied, false when refused. */
    CompletableFuture<Boolean> run(RedisClusterAsyncCommands<String, byte[]> commands, ShareLedger.Request request) {
        List<byte[]> args = new ArrayList<>(6 + request.fields().size() * 2);
        args.add(ascii(gatewayId));
        args.add(RedisLayout.bytes(gatewayKeyPrefix));
        args.add(ascii(Long.toString(spanMillis)));
        args.add(ascii(request.mode().wireName()));
        args.add(ascii(Long.toString(request.expected())));
        args.add(ascii(Long.toString(request.version())));
        request.fields().forEach((field, n) -> {
            args.add(RedisLayout.bytes(field));
            args.add(ascii(Long.toString(n)));
        });
        return SCRIPT.<List<Object>>run(commands, ScriptOutputType.MULTI, keys, args.toArray(new byte[0][]))
                .thenApply(reply -> ((Long) reply.get(0)) == 1L);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
