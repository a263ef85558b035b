package io.stepcast.deploy.loadtest;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's settings: every scenario's size, with defaults sized for a 2-core machine.
 * Parsed from {@code --name value} pairs; unknown names are rejected.
 */
public record LoadOptions(
        List<String> scenarios,
        List<String> systems,
        Path out,
        Path repo,
        int fanoutSubscribers,
        List<Double> fanoutRates,
        Duration warmup,
        Duration measure,
        Duration drain,
        int wideConnections,
        double wideRate,
        Duration wideMeasure,
        int idleConnections,
        int idlePlans,
        Duration idleSettle,
        double idleWarmup,
        int resumeClients,
        int resumePlans,
        int resumeBehind,
        double resumeLiveRate,
        Duration pollDuration,
        int pollConnections,
        int publishEvents,
        int publishPlans,
        List<String> redisModes,
        int compressionClients,
        int compressionEvents,
        int clientThreads,
        int connectInFlight,
        List<String> serverJvmOpts,
        Map<String, String> serverEnv,
        List<String> gatewayArgs,
        int socketIoWorkers,
        boolean jfr,
        boolean auth,
        List<String> startupVariants,
        int startupRuns,
        String startupJdk25,
        List<String> startupJvmOpts,
        String startupMaxRam,
        int startupIdleConnections,
        int idleRounds,
        double saturationStart,
        double saturationFactor,
        int saturationSteps,
        int saturationRefine,
        double saturationP99Ms,
        Duration saturationMeasure,
        String command) {

    public static final List<String> ALL_SCENARIOS =
            List.of("fanout", "saturation", "wide", "idle", "resume", "poll", "publish", "startup");
    /** Also accepted as a scenario, run only when named: the measurement behind stepcast.ws.compression. */
    public static final List<String> KNOWN_SCENARIOS = List.of(
            "fanout", "saturation", "wide", "idle", "resume", "poll", "publish", "startup", "compression", "presence");

    public static final List<String> ALL_SYSTEMS = List.of("stepcast", "socketio", "netty");
    /** Also accepted by --systems: the plainer raw Netty reference (per-channel encoding, NIO). */
    public static final List<String> KNOWN_SYSTEMS = List.of("stepcast", "socketio", "netty", "netty-plain");

    static final String USAGE = """
            deploy/loadtest/run.sh [scenario...] [--option value...]
              scenarios: fanout saturation wide idle resume poll publish startup (default: all); compression (only when named)
                         presence (only when named: presence upkeep's Redis load, --idle-connections over --idle-plans)
              --systems stepcast,socketio,netty   systems to compare (default these three; also netty-plain, the
                                                  plainer raw Netty reference; netty is the ceiling)
              --fanout-subscribers 1000 --fanout-rates 50,100,200,400 --warmup 3 --measure 10 --drain 5 (s: a drain ends when no event arrived for this long)
              --saturation-start 100 --saturation-factor 2 --saturation-steps 6 --saturation-refine 2
              --saturation-p99-ms 100 --saturation-measure 5   (fan-out rate raised by the factor until p99 >
                                        the limit or any loss, then bisection steps between the last rate
                                        that held and the first that did not)
              --wide-connections 10000 --wide-rate 2000 --wide-measure 20
              --idle-connections 10000 --idle-plans 100 --idle-settle 5 --idle-rounds 3 (a fresh server each round)
              --idle-warmup 0.1    (warm-up round before "RSS before", a fraction of --idle-connections, connected then closed)
              --resume-clients 1000 --resume-plans 10 --resume-behind 100 --resume-live-rate 50
              --poll-duration 10 --poll-connections 64      (wrk against the gateway's snapshot endpoint)
              --publish-events 100000 --publish-plans 100   (bridge CLI bench vs redis-benchmark EVALSHA)
              --redis-mode standalone|cluster|both          (fanout and publish also/only on a local Redis Cluster of
                                                             3 masters + 3 replicas started by the run; publish on the
                                                             cluster with wait-replicas 0 and 1)
              --compression-clients 50 --compression-events 2000  (permessage-deflate off vs on, Stepcast only)
              --client-threads 2 --connect-in-flight 500
              --server-jvm-opts "..."   (both JVM servers, gateway and raw Netty; default: the image's flags,
                                         deploy/aot/jvm.flags, + -XX:MaxRAM=1g)
              --server-env "MALLOC_ARENA_MAX=2"   (both JVM servers' environment, as the image sets it)
              --gateway-args "--stepcast.x=y ..."         (extra gateway properties, space separated)
              --auth true|false      Stepcast clients present an HS256 token (bearer.<token> subprotocol)
              --socketio-workers <nproc> --jfr true|false --out deploy/loadtest/out
              --startup-variants jdk17,jdk25,jdk25-aot,netty --startup-runs 5 --startup-idle-connections 1000
                                 (also jdk25-maot: Micronaut AOT jar + its cache, deploy/aot/micronaut-aot.sh --train)
              --startup-jdk25 $JAVA25_HOME|/usr/lib/jvm/temurin-25-jdk-amd64
              --startup-jvm-opts "..."   (default: deploy/aot/jvm.flags + -XX:MaxRAM=<--startup-max-ram 1g>)""";

    public static LoadOptions parse(String[] argv, Path repo) {
        Set<String> known = Set.of(
                "systems",
                "out",
                "fanout-subscribers",
                "fanout-rates",
                "warmup",
                "measure",
                "drain",
                "wide-connections",
                "wide-rate",
                "wide-measure",
                "idle-connections",
                "idle-plans",
                "idle-settle",
                "idle-warmup",
                "resume-clients",
                "resume-plans",
                "resume-behind",
                "resume-live-rate",
                "poll-duration",
                "poll-connections",
                "publish-events",
                "publish-plans",
                "redis-mode",
                "compression-clients",
                "compression-events",
                "client-threads",
                "connect-in-flight",
                "server-jvm-opts",
                "server-env",
                "gateway-args",
                "socketio-workers",
                "jfr",
                "auth",
                "command",
                "startup-variants",
                "startup-runs",
                "startup-jdk25",
                "startup-jvm-opts",
                "startup-max-ram",
                "startup-idle-connections",
                "idle-rounds",
                "saturation-start",
                "saturation-factor",
                "saturation-steps",
                "saturation-refine",
                "saturation-p99-ms",
                "saturation-measure");
        OptionArgs o = OptionArgs.parse(argv, KNOWN_SCENARIOS, known, USAGE);
        List<String> systems = o.list("systems", String.join(",", ALL_SYSTEMS));
        for (String s : systems) {
            if (!KNOWN_SYSTEMS.contains(s)) {
                throw new IllegalArgumentException("unknown system '" + s + "'\n" + USAGE);
            }
        }
        String redisMode = o.text("redis-mode", "standalone");
        List<String> redisModes = switch (redisMode) {
            case "standalone" -> List.of("standalone");
            case "cluster" -> List.of("cluster");
            case "both" -> List.of("standalone", "cluster");
            default ->
                throw new IllegalArgumentException(
                        "--redis-mode must be standalone, cluster or both, got '" + redisMode + "'\n" + USAGE);
        };
        return new LoadOptions(
                o.scenarios().isEmpty() ? ALL_SCENARIOS : o.scenarios(),
                systems,
                Path.of(o.text("out", repo.resolve("deploy/loadtest/out").toString())),
                repo,
                o.integer("fanout-subscribers", 1000),
                o.list("fanout-rates", "50,100,200,400").stream()
                        .map(Double::parseDouble)
                        .toList(),
                o.seconds("warmup", 3),
                o.seconds("measure", 10),
                o.seconds("drain", 5),
                o.integer("wide-connections", 10_000),
                o.decimal("wide-rate", "2000"),
                o.seconds("wide-measure", 20),
                o.integer("idle-connections", 10_000),
                o.integer("idle-plans", 100),
                o.seconds("idle-settle", 5),
                o.decimal("idle-warmup", "0.1"),
                o.integer("resume-clients", 1000),
                o.integer("resume-plans", 10),
                o.integer("resume-behind", 100),
                o.decimal("resume-live-rate", "50"),
                o.seconds("poll-duration", 10),
                o.integer("poll-connections", 64),
                o.integer("publish-events", 100_000),
                o.integer("publish-plans", 100),
                redisModes,
                o.integer("compression-clients", 50),
                o.integer("compression-events", 2_000),
                o.integer("client-threads", 2),
                o.integer("connect-in-flight", 500),
                o.has("server-jvm-opts") ? o.words("server-jvm-opts", "") : imageFlags(repo, "1g"),
                o.env("server-env", "MALLOC_ARENA_MAX=2"),
                o.words("gateway-args", ""),
                o.integer("socketio-workers", Runtime.getRuntime().availableProcessors()),
                o.flag("jfr", "false"),
                o.flag("auth", "true"),
                o.list("startup-variants", "jdk17,jdk25,jdk25-aot,netty"),
                o.integer("startup-runs", 5),
                o.text(
                        "startup-jdk25",
                        System.getenv().getOrDefault("JAVA25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")),
                o.words("startup-jvm-opts", ""),
                o.text("startup-max-ram", "1g"),
                o.integer("startup-idle-connections", 1000),
                o.integer("idle-rounds", 3),
                o.decimal("saturation-start", "100"),
                o.decimal("saturation-factor", "2"),
                o.integer("saturation-steps", 6),
                o.integer("saturation-refine", 2),
                o.decimal("saturation-p99-ms", "100"),
                o.seconds("saturation-measure", 5),
                o.text("command", "deploy/loadtest/run.sh " + String.join(" ", argv)));
    }

    /** The options as JSON-friendly values (durations in seconds), for results.json. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent rc : getClass().getRecordComponents()) {
            try {
                Object v = rc.getAccessor().invoke(this);
                m.put(
                        rc.getName(),
                        v instanceof Duration d ? d.toMillis() / 1000.0 : v instanceof Path p ? p.toString() : v);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    /** The image's JVM flags (non-comment lines of deploy/aot/jvm.flags) plus the container's memory. */
    public static List<String> imageFlags(Path repo, String maxRam) {
        List<String> flags = new ArrayList<>();
        try {
            Files.readAllLines(repo.resolve("deploy/aot/jvm.flags")).stream()
                    .map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(flags::add);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read deploy/aot/jvm.flags: " + e.getMessage(), e);
        }
        flags.add("-XX:MaxRAM=" + maxRam);
        return flags;
    }
}
