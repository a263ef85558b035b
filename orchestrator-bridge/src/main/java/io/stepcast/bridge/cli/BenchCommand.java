package io.stepcast.bridge.cli;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.EventPublisher;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.redis.PublishScript;
import java.io.IOException;
import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench}: the bridge's publish rate (events/s) for one plan and for many plans, and, in the same
 * run against the same Redis, {@code redis-benchmark} calling the same publish script with EVALSHA.
 * Keys live under a throwaway prefix and are deleted afterwards. The {@code redis-benchmark} baseline is
 * {@link RedisBenchmark}.
 */
final class BenchCommand {

    static final String USAGE = """
            bench [--redis <uri>] [--redis-mode standalone|cluster] [--wait-replicas 0] [--events 100000] [--plans 100] [--window 5000] [--warmup 20000]
                  [--status-every 0] [--rb-clients 50] [--rb-pipeline 16] [--rb-batch 32] [--redis-benchmark redis-benchmark]
                Publishes --events step_output events through LettuceEventPublisher to one plan, then spread over
                --plans plans (at most --window unacknowledged), then runs redis-benchmark -n <events> EVALSHA of the
                same publish script on one plan with one event per call, and again with --rb-batch events per call;
                prints a Markdown table with events/s and the ratios. --status-every N > 0: every N-th bridge event of a
                plan is a step_status that changes the plan's status summary (running/succeeded in turn) instead.""";

    /** The event every run publishes: a typical log line. */
    static final String CHUNK = "[build] Compiling 143 source files with javac [debug release 17] to target/classes\n";

    private BenchCommand() {}

    static int run(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err)
            throws InterruptedException, IOException {
        CliArgs args = new CliArgs(
                argv,
                Set.of(
                        "redis",
                        "events",
                        "plans",
                        "window",
                        "warmup",
                        "rb-clients",
                        "rb-pipeline",
                        "rb-batch",
                        "redis-benchmark",
                        "redis-mode",
                        "wait-replicas",
                        "status-every"),
                Set.of());
        RedisMode mode = BridgeCli.redisMode(args, env);
        int waitReplicas = args.integer("wait-replicas", 0, 0, 16);
        String uri = BridgeCli.redisUri(args, env);
        int events = args.integer("events", 100_000, 1, 100_000_000);
        int manyPlans = args.integer("plans", 100, 2, 100_000);
        int window = args.integer("window", 5_000, 1, 1_000_000);
        int warmup = args.integer("warmup", 20_000, 0, 10_000_000);
        int statusEvery = args.integer("status-every", 0, 0, 1_000_000);
        int rbClients = args.integer("rb-clients", 50, 1, 10_000);
        int rbPipeline = args.integer("rb-pipeline", 16, 1, 10_000);
        int rbBatch = args.integer("rb-batch", 32, 1, 1_000);
        String redisBenchmark = args.get("redis-benchmark", "redis-benchmark");

        RedisLayout layout =
                new RedisLayout("bench-" + UUID.randomUUID().toString().substring(0, 8));
        BridgeConfig config = BridgeConfig.builder()
                .prefix(layout.prefix())
                .redisMode(mode)
                .waitReplicas(waitReplicas)
                .build();
        AbstractRedisClient client =
                mode == RedisMode.CLUSTER ? RedisClusterClient.create(uri) : RedisClient.create(uri);
        try (StatefulConnection<String, String> admin =
                client instanceof RedisClusterClient c ? c.connect() : ((RedisClient) client).connect()) {
            RedisClusterCommands<String, String> redis =
                    admin instanceof StatefulRedisClusterConnection<String, String> c
                            ? c.sync()
                            : ((StatefulRedisConnection<String, String>) admin).sync();
            String version = redis.info("server")
                    .lines()
                    .filter(l -> l.startsWith("redis_version:"))
                    .map(l -> l.substring("redis_version:".length()).trim())
                    .findFirst()
                    .orElse("?");
            out.printf(
                    "Stepcast bridge publish benchmark, %s, %d cores, Java %s, Redis %s at %s%n",
                    ZonedDateTime.now(), Runtime.getRuntime().availableProcessors(), Runtime.version(), version, uri);
            out.printf(
                    "event: step_output (%d-byte chunk)%s; LettuceEventPublisher defaults (maxBatchEvents %d), window %d, "
                            + "redis-mode %s, wait-replicas %d%n%n",
                    CHUNK.length(),
                    statusEvery == 0
                            ? ""
                            : ", every " + statusEvery + ". event of a plan a status-changing step_status",
                    config.maxBatchEvents(),
                    window,
                    mode.name().toLowerCase(Locale.ROOT),
                    waitReplicas);
            double single;
            double many;
            // Redis CPU (user + sys of the server process) per event: insensitive to other load on the machine
            String[] cpu = new String[4];
            boolean oneNode = mode == RedisMode.STANDALONE;
            try (EventPublisher publisher = LettuceEventPublisher.create(uri, config)) {
                if (warmup > 0) {
                    publish(publisher, List.of("warmup"), warmup, window, statusEvery, err);
                }
                double c0 = redisCpu(redis);
                single = publish(publisher, List.of("bench-1"), events, window, statusEvery, err);
                cpu[0] = cpuPerEvent(oneNode, c0, redisCpu(redis), events);
                List<String> plans = new ArrayList<>();
                for (int i = 1; i <= manyPlans; i++) {
                    plans.add("bench-many-" + i);
                }
                c0 = redisCpu(redis);
                many = publish(publisher, plans, events, window, statusEvery, err);
                cpu[1] = cpuPerEvent(oneNode, c0, redisCpu(redis), events);
            }
            boolean standalone = mode == RedisMode.STANDALONE && waitReplicas == 0;
            if (!standalone) {
                err.println(
                        "bench: redis-benchmark runs only against a standalone Redis without --wait-replicas: not measured");
            }
            String sha = standalone ? redis.scriptLoad(PublishScript.source()) : null;
            RedisBenchmark baseline =
                    new RedisBenchmark(redisBenchmark, uri, layout, config, sha, rbClients, rbPipeline, err);
            double c0 = redisCpu(redis);
            Double rb = !standalone ? null : baseline.eventsPerSecond("bench-rb", events, 1);
            cpu[2] = rb == null ? "not measured" : cpuPerEvent(true, c0, redisCpu(redis), events);
            c0 = redisCpu(redis);
            Double rbBatched = rbBatch == 1 || !standalone
                    ? null
                    : baseline.eventsPerSecond("bench-rb-batch", Math.max(1, events / rbBatch), rbBatch);
            cpu[3] = rbBatched == null
                    ? "not measured"
                    : cpuPerEvent(true, c0, redisCpu(redis), Math.max(1, events / rbBatch) * rbBatch);
            out.println("| run | events | events/s | Redis CPU µs/event |");
            out.println("|---|---:|---:|---:|");
            out.printf("| bridge, 1 plan | %d | %.0f | %s |%n", events, single, cpu[0]);
            out.printf("| bridge, %d plans | %d | %.0f | %s |%n", manyPlans, events, many, cpu[1]);
            out.printf(
                    "| redis-benchmark EVALSHA publish.lua, 1 event per call, 1 plan (-c %d -P %d) | %d | %s | %s |%n",
                    rbClients, rbPipeline, events, rate(rb), cpu[2]);
            if (rbBatch > 1 && standalone) {
                out.printf(
                        "| redis-benchmark EVALSHA publish.lua, %d events per call, 1 plan (-c %d -P %d) | %d | %s | %s |%n",
                        rbBatch,
                        rbClients,
                        rbPipeline,
                        Math.max(1, events / rbBatch) * rbBatch,
                        rate(rbBatched),
                        cpu[3]);
            }
            if (rb != null) {
                out.printf(
                        "%nratio bridge/redis-benchmark (1 event per call): 1 plan %.2f, %d plans %.2f%n",
                        single / rb, manyPlans, many / rb);
            }
            if (rbBatched != null) {
                out.printf(
                        "ratio bridge/redis-benchmark (%d events per call): 1 plan %.2f, %d plans %.2f%n",
                        rbBatch, single / rbBatched, manyPlans, many / rbBatched);
            }
            cleanup(redis, layout);
        } finally {
            client.shutdown();
        }
        return 0;
    }

    /**
     * Publishes {@code count} events round-robin over {@code plans} (every {@code statusEvery}-th of a plan a
     * status change when > 0); returns acknowledged events/s.
     */
    private static double publish(
            EventPublisher publisher, List<String> plans, int count, int window, int statusEvery, PrintStream err)
            throws InterruptedException {
        Semaphore permits = new Semaphore(window);
        AtomicLong failures = new AtomicLong();
        int[] sent = new int[plans.size()];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            permits.acquire();
            int plan = i % plans.size();
            int n = sent[plan]++;
            PlanEvent event = statusEvery > 0 && n % statusEvery == 0
                    ? new StepStatus(0, "build", (n / statusEvery) % 2 == 0 ? StepState.RUNNING : StepState.SUCCEEDED)
                    : new StepOutput(0, CHUNK);
            publisher.publish(plans.get(plan), event).whenComplete((r, e) -> {
                if (e != null && failures.incrementAndGet() == 1) {
                    err.println("bench: publish failed: " + e);
                }
                permits.release();
            });
        }
        permits.acquire(window);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " publishes failed");
        }
        return count / seconds;
    }

    /** used_cpu_user + used_cpu_sys of the Redis server (seconds), from INFO cpu; NaN when absent. */
    private static double redisCpu(RedisClusterCommands<String, String> redis) {
        double total = 0;
        int found = 0;
        for (String line : redis.info("cpu").lines().toList()) {
            if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                total +=
                        Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                found++;
            }
        }
        return found == 2 ? total : Double.NaN;
    }

    /** Redis CPU microseconds per event between two readings; only meaningful on one Redis node. */
    private static String cpuPerEvent(boolean oneNode, double before, double after, long events) {
        double perEvent = (after - before) * 1e6 / events;
        return oneNode && !Double.isNaN(perEvent) ? String.format("%.1f", perEvent) : "not measured";
    }

    private static String rate(Double eventsPerSecond) {
        return eventsPerSecond == null ? "not measured" : String.format("%.0f", eventsPerSecond);
    }

    private static void cleanup(RedisClusterCommands<String, String> redis, RedisLayout layout) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(
                    cursor, ScanArgs.Builder.matches(layout.prefix() + ":*").limit(1000));
            if (!page.getKeys().isEmpty()) {
                redis.unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }
}
