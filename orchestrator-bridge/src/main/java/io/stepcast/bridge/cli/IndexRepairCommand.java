package io.stepcast.bridge.cli;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.redis.IndexRepair;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code index-repair}: rebuilds the plan index from every plan's state snapshot. */
final class IndexRepairCommand {

    static final String USAGE = """
            index-repair [--redis <uri>] [--redis-mode standalone|cluster] [--redis-tls-ca <pem>] [--prefix stepcast] [--meta-ttl 30d]
                Scans every master for plan states and upserts each plan's index summary where the index is
                missing or says something else; drops entries of plans without state. Idempotent, safe while
                publishers run. Prints: plans <n> repaired <n> removed <n>. --meta-ttl: the publishers' meta TTL.""";

    private IndexRepairCommand() {}

    static int run(List<String> argv, Map<String, String> env, PrintStream out) throws Exception {
        CliArgs args = new CliArgs(argv, BridgeCli.withTls("redis", "redis-mode", "prefix", "meta-ttl"), Set.of());
        RedisMode mode = BridgeCli.redisMode(args, env);
        String uri = BridgeCli.redisUri(args, env);
        RedisLayout layout = BridgeCli.layout(args);
        BridgeConfig config = BridgeConfig.builder()
                .prefix(layout.prefix())
                .redisMode(mode)
                .metaTtl(args.duration("meta-ttl", RedisLayout.DEFAULT_META_TTL))
                .tls(BridgeCli.redisTls(args, env, uri))
                .build();
        try (IndexRepair repair = IndexRepair.create(uri, config)) {
            IndexRepair.Report report = repair.run();
            out.printf("plans %d repaired %d removed %d%n", report.plans(), report.repaired(), report.removed());
        }
        out.flush();
        return 0;
    }
}
