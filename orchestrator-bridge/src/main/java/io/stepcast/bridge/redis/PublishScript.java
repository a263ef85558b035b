package io.stepcast.bridge.redis;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.BridgeException;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The publish script ({@code io/stepcast/bridge/publish.lua}, with {@code index-lib.lua} prepended)
 * and its calling convention
 * (PROTOCOL.md §3): how KEYS and ARGV are built from a plan and its events, and how the reply is
 * read. Immutable and thread-safe.
 */
public final class PublishScript {

    /** Number of fixed ARGV entries before the per-event groups. */
    public static final int FIXED_ARGS = 12;
    /** Index in ARGV (0-based) of the durability claim, set per attempt by {@link #claim}. */
    static final int CLAIM_ARG = 9;

    private static final byte[] NO_CLAIM = new byte[0];

    private static final String SOURCE = load("index-lib.lua") + load("publish.lua");
    private static final String SHA1 = sha1(SOURCE);
    private static final String PUBLISH_CALL = "redis.call('PUBLISH', channel, frame)";
    private static final String SHARDED_SOURCE = sharded(SOURCE);
    private static final String SHARDED_SHA1 = sha1(SHARDED_SOURCE);

    private PublishScript() {}

    /** The Lua source. */
    public static String source() {
        return SOURCE;
    }

    /** The SHA-1 digest of the source, as {@code EVALSHA} wants it. */
    public static String sha1() {
        return SHA1;
    }

    /**
     * The source for a Redis Cluster of Redis ≥ 7.0: identical except that frames are published with
     * {@code SPUBLISH} (sharded pub/sub: the plan's channel hashes to the plan's slot, so only that
     * slot's shard carries them) instead of {@code PUBLISH} (broadcast to every node of a cluster).
     */
    public static String source(boolean sharded) {
        return sharded ? SHARDED_SOURCE : SOURCE;
    }

    /** The SHA-1 digest of {@link #source(boolean)}. */
    public static String sha1(boolean sharded) {
        return sharded ? SHARDED_SHA1 : SHA1;
    }

    private static String sharded(String source) {
        return IndexScript.replaceOnce(source, PUBLISH_CALL, "redis.call('SPUBLISH', channel, frame)");
    }

    /**
     * KEYS: meta, log, state of {@code planId}; with {@code index} also the five keys of the plan index
     * (standalone Redis only: upkeep inside the script; on a cluster they live in another slot).
     */
    static byte[][] keys(RedisLayout layout, String planId, boolean index) {
        byte[][] plan = {
            RedisLayout.bytes(layout.metaKey(planId)),
            RedisLayout.bytes(layout.logKey(planId)),
            RedisLayout.bytes(layout.stateKey(planId))
        };
        if (!index) {
            return plan;
        }
        byte[][] ix = IndexScript.keys(layout);
        return new byte[][] {plan[0], plan[1], plan[2], ix[0], ix[1], ix[2], ix[3], ix[4]};
    }

    /**
     * ARGV for {@code events} (in order) of {@code planId}, with a candidate epoch; {@code index} as in
     * {@link #keys}: with it the index channel and a candidate index epoch (drawn at random).
     */
    static byte[][] args(
            RedisLayout layout,
            BridgeConfig config,
            String planId,
            String candidateEpoch,
            boolean index,
            List<EncodedEvent> events) {
        byte[][] args = new byte[FIXED_ARGS + 4 * events.size()][];
        args[0] = RedisLayout.bytes(planId);
        args[1] = RedisLayout.bytes(layout.channel(planId));
        args[2] = RedisLayout.bytes(layout.eventIdKeyPrefix(planId));
        args[3] = RedisLayout.bytes(candidateEpoch);
        args[4] = number(config.logMaxLen());
        args[5] = number(config.logTtl().toMillis());
        args[6] = number(config.metaTtl().toMillis());
        args[7] = number(config.eventIdTtl().toMillis());
        args[8] = number(config.outputTailBytes());
        args[CLAIM_ARG] = NO_CLAIM;
        args[10] = index ? RedisLayout.bytes(layout.indexChannel()) : NO_CLAIM;
        args[11] = index ? RedisLayout.bytes(EncodedEvent.random(RedisLayout.EPOCH_LENGTH)) : NO_CLAIM;
        int i = FIXED_ARGS;
        for (EncodedEvent e : events) {
            args[i++] = e.name();
            args[i++] = e.eventId();
            args[i++] = e.ts();
            args[i++] = e.data();
        }
        return args;
    }

    /**
     * Sets the durability claim of {@code args}: the run_id of the Redis process on which the caller
     * verified {@code appendonly yes} and {@code appendfsync always} (null for none), and whether the
     * caller acknowledges the call only after {@code WAIT} confirmed at least one replica. The script
     * keeps a plan's epoch across a restart only after fsynced writes, across a replica promotion only
     * after waited writes (PROTOCOL.md §3.6); anything else rotates it.
     */
    static void claim(byte[][] args, String durableRunId, boolean waited) {
        String claim = (durableRunId == null ? "" : durableRunId) + (waited ? "w" : "");
        args[CLAIM_ARG] = claim.isEmpty() ? NO_CLAIM : RedisLayout.bytes(claim);
    }

    /**
     * The summary the caller must upsert into the plan index with {@link IndexScript} (the last element
     * of the reply), or null when there is none: the summary did not change, or the script kept the
     * index itself.
     */
    static String pendingSummary(List<Object> reply) {
        String summary = reply == null || reply.isEmpty() ? "" : text(reply.get(reply.size() - 1));
        return summary.isEmpty() ? null : summary;
    }

    /**
     * Reads the reply {@code [epoch, seq1, dup1, seq2, dup2, …, summary]} into one result per event.
     * Duplicates of auto-assigned event ids can only be this publisher's own retries: reported as
     * not duplicate.
     */
    static List<PublishResult> results(String planId, List<Object> reply, List<EncodedEvent> events) {
        if (reply == null || reply.size() != 2 + 2 * events.size()) {
            throw new BridgeException("publish script returned an unexpected reply: " + reply);
        }
        String epoch = text(reply.get(0));
        List<PublishResult> results = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            long seq = ((Number) reply.get(1 + 2 * i)).longValue();
            boolean dup = ((Number) reply.get(2 + 2 * i)).longValue() == 1
                    && !events.get(i).autoId();
            results.add(new PublishResult(planId, seq, epoch, dup));
        }
        return results;
    }

    static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    static byte[] number(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    static String load(String name) {
        try (InputStream in = PublishScript.class.getResourceAsStream("/io/stepcast/bridge/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha1(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
