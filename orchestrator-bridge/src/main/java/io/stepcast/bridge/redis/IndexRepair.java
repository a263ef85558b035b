package io.stepcast.bridge.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds the plan index from the plans' own keys (PROTOCOL.md §3.7): scans every master for
 * {@code <prefix>:{<plan>}:state}, upserts the summary derived from each snapshot where the index
 * says something else (missing entry, other plan epoch, other content), and drops entries whose plan
 * has no state any more. Idempotent; safe while publishers run (an entry it writes is superseded by
 * the plan's next summary change). Used by the bridge CLI's {@code index-repair}. Blocking; not
 * thread-safe (one run at a time per instance).
 */
public final class IndexRepair implements AutoCloseable {

    /**
     * What one run did.
     *
     * @param plans    plan states found
     * @param repaired entries written (missing or wrong before)
     * @param removed  entries dropped (no state any more, or older than the meta TTL)
     */
    public record Report(long plans, long repaired, long removed) {}

    private static final int SCAN_COUNT = 1000;
    private static final long TIMEOUT_SECONDS = 60;

    private final RedisConnector connector;
    private final BridgeConfig config;
    private final RedisLayout layout;

    private IndexRepair(RedisConnector connector, BridgeConfig config) {
        this.connector = connector;
        this.config = config;
        this.layout = config.layout();
    }

    /** A repair with its own connection to {@code redisUri} (seed nodes in cluster mode). */
    public static IndexRepair create(String redisUri, BridgeConfig config) {
        return new IndexRepair(RedisConnector.owned(redisUri, config), config);
    }

    /** Runs one full repair. */
    public Report run() throws Exception {
        RedisConnector.Link link = connector.connection().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        RedisClusterAsyncCommands<byte[], byte[]> redis = link.commands();
        long plans = 0;
        long repaired = 0;
        long removed = 0;
        // the cluster connection's SCAN walks every master in turn
        ScanArgs match =
                ScanArgs.Builder.matches(layout.prefix() + ":{*}:state").limit(SCAN_COUNT);
        KeyScanCursor<byte[]> cursor = redis.scan(match).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        while (true) {
            for (byte[] key : cursor.getKeys()) {
                String plan = planOfStateKey(new String(key, StandardCharsets.UTF_8));
                if (plan == null) {
                    continue;
                }
                byte[] state = redis.get(key).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (state == null) {
                    continue; // expired meanwhile: the removal pass below drops its entry
                }
                plans++;
                if (call(link, plan, IndexScript.Mode.REPAIR, new String(state, StandardCharsets.UTF_8))) {
                    repaired++;
                }
            }
            if (cursor.isFinished()) {
                break;
            }
            cursor = redis.scan(cursor, match).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        Set<String> indexed = new TreeSet<>();
        for (String key : List.of(layout.indexKey(), layout.indexIdsKey())) {
            for (byte[] member : redis.zrange(RedisLayout.bytes(key), 0, -1).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                indexed.add(new String(member, StandardCharsets.UTF_8));
            }
        }
        for (String plan : indexed) {
            if (!RedisLayout.isValidPlanId(plan)) {
                continue;
            }
            Long exists = redis.exists(RedisLayout.bytes(layout.stateKey(plan))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if ((exists == null || exists == 0) && call(link, plan, IndexScript.Mode.REMOVE, "")) {
                removed++;
            }
        }
        return new Report(plans, repaired, removed);
    }

    private boolean call(RedisConnector.Link link, String plan, IndexScript.Mode mode, String payload)
            throws Exception {
        CompletableFuture<Boolean> done =
                IndexScript.run(link.commands(), link.sharded(), layout, plan, mode, payload, config.metaTtl());
        return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The plan of {@code <prefix>:{<plan>}:state}, or null for any other key the pattern matched. */
    String planOfStateKey(String key) {
        String head = layout.prefix() + ":{";
        int close = key.indexOf('}', head.length());
        if (!key.startsWith(head) || close < 0) {
            return null;
        }
        String plan = key.substring(head.length(), close);
        return RedisLayout.isValidPlanId(plan) && key.equals(layout.stateKey(plan)) ? plan : null;
    }

    @Override
    public void close() {
        connector.close();
    }
}
