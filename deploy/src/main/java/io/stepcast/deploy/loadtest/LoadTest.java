package io.stepcast.deploy.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stepcast.deploy.loadtest.client.WsFleet;
import io.stepcast.deploy.loadtest.proc.LoadAverage;
import io.stepcast.deploy.loadtest.proc.RedisClusterServer;
import io.stepcast.deploy.loadtest.proc.RedisServer;
import io.stepcast.deploy.loadtest.report.Charts;
import io.stepcast.deploy.loadtest.report.Goals;
import io.stepcast.deploy.loadtest.report.JfrSummary;
import io.stepcast.deploy.loadtest.report.MarkdownReport;
import io.stepcast.deploy.loadtest.report.ProfileWindows;
import io.stepcast.deploy.loadtest.scenario.CompressionScenario;
import io.stepcast.deploy.loadtest.scenario.FanoutScenario;
import io.stepcast.deploy.loadtest.scenario.IdleScenario;
import io.stepcast.deploy.loadtest.scenario.PollScenario;
import io.stepcast.deploy.loadtest.scenario.PresenceScenario;
import io.stepcast.deploy.loadtest.scenario.PublishScenario;
import io.stepcast.deploy.loadtest.scenario.ResumeStormScenario;
import io.stepcast.deploy.loadtest.scenario.RunContext;
import io.stepcast.deploy.loadtest.scenario.SaturationScenario;
import io.stepcast.deploy.loadtest.scenario.StartupScenario;
import io.stepcast.deploy.loadtest.scenario.WideScenario;
import io.stepcast.deploy.loadtest.sut.ClusterGateway;
import io.stepcast.deploy.loadtest.sut.NettyCeiling;
import io.stepcast.deploy.loadtest.sut.SocketIoPeer;
import io.stepcast.deploy.loadtest.sut.StepcastGateway;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The load benchmark: Stepcast against Socket.IO and a raw Netty ceiling, same Redis, same
 * event stream, same run. Started by {@code deploy/loadtest/run.sh}, which builds the jars and
 * installs the npm peers; writes {@code results.json}, {@code results.md} and PNG charts.
 */
public final class LoadTest {

    private LoadTest() {}

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("loadtest.repo", "."))
                .toAbsolutePath()
                .normalize();
        LoadOptions o;
        try {
            o = LoadOptions.parse(args, repo);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path out = o.out();
        Files.createDirectories(out);
        for (String d : List.of("logs", "jfr")) {
            clean(out.resolve(d));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("date", ZonedDateTime.now().toString());
        results.put("command", o.command());
        results.put("machine", Machine.describe());
        results.put("options", o.describe());
        results.put("load_start", LoadAverage.now().toString());
        Map<String, SystemUnderTest> systems = systems(o, repo);
        Map<String, Object> scenarios = new LinkedHashMap<>();
        results.put("scenarios", scenarios);
        boolean onCluster = o.redisModes().contains("cluster")
                && (o.scenarios().contains("fanout") || o.scenarios().contains("publish"));
        boolean onStandalone = o.redisModes().contains("standalone");
        try (RedisServer redis = RedisServer.start("redis-server", out);
                RedisClusterServer cluster = onCluster ? RedisClusterServer.start("redis-server", out) : null;
                WsFleet fleet = new WsFleet(o.clientThreads())) {
            RunContext ctx =
                    new RunContext(o, redis.uri(), List.of(redis.process().pid()), out, fleet, System.nanoTime());
            RunContext clusterCtx = cluster == null ? null : ctx.onRedis(cluster.uri(), cluster.pids());
            if (cluster != null) {
                results.put("redis_cluster", "3 masters + 3 replicas on loopback, " + cluster.uri());
            }
            for (String scenario : o.scenarios()) {
                if (scenario.equals("startup")) {
                    RunContext.log("=== startup (load %s)", LoadAverage.now());
                    scenarios.put(
                            scenario,
                            StartupScenario.run(
                                    ctx, gateway(o, repo), new NettyCeiling(o.serverJvmOpts(), o.serverEnv(), false)));
                    continue;
                }
                Map<String, Object> bySystem = new LinkedHashMap<>();
                scenarios.put(scenario, bySystem);
                boolean clusterScenario = scenario.equals("fanout") || scenario.equals("publish");
                for (SystemUnderTest sut : systems.values()) {
                    if (List.of("resume", "poll", "publish", "compression", "presence")
                                            .contains(scenario)
                                    && !sut.name().equals("stepcast")
                            || clusterScenario && !onStandalone) {
                        continue;
                    }
                    measure(bySystem, scenario, sut.name(), () -> switch (scenario) {
                        case "fanout" -> FanoutScenario.run(ctx, sut);
                        case "wide" -> WideScenario.run(ctx, sut);
                        case "saturation" -> SaturationScenario.run(ctx, sut);
                        case "idle" -> IdleScenario.rounds(ctx, sut);
                        case "resume" -> ResumeStormScenario.run(ctx, sut);
                        case "poll" -> PollScenario.run(ctx, sut);
                        case "publish" -> PublishScenario.run(ctx, bridgeCliJar(repo), "standalone");
                        case "compression" -> CompressionScenario.run(ctx, (StepcastGateway) sut);
                        case "presence" -> PresenceScenario.run(ctx, (StepcastGateway) sut);
                        default -> throw new IllegalStateException(scenario);
                    });
                }
                if (clusterCtx != null && scenario.equals("fanout")) {
                    ClusterGateway sut = new ClusterGateway(gateway(o, repo));
                    measure(bySystem, scenario, sut.name(), () -> FanoutScenario.run(clusterCtx, sut));
                }
                if (clusterCtx != null && scenario.equals("publish")) {
                    measure(
                            bySystem,
                            scenario,
                            ClusterGateway.NAME,
                            () -> PublishScenario.run(
                                    clusterCtx, bridgeCliJar(repo), "cluster", "--redis-mode", "cluster"));
                    measure(
                            bySystem,
                            scenario,
                            ClusterGateway.NAME + "-wait-replicas-1",
                            () -> PublishScenario.run(
                                    clusterCtx,
                                    bridgeCliJar(repo),
                                    "cluster-wait1",
                                    "--redis-mode",
                                    "cluster",
                                    "--wait-replicas",
                                    "1"));
                }
            }
        }
        results.put("load_end", LoadAverage.now().toString());
        results.put("goals", Goals.judge(scenarios));
        results.put("server_threads_cpu_percent", ProfileWindows.threads());
        if (o.jfr()) {
            results.put("profile", JfrSummary.summarizeAll(out.resolve("jfr")));
        }
        ObjectMapper json =
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules();
        json.writeValue(out.resolve("results.json").toFile(), results);
        String md = MarkdownReport.render(results);
        Files.writeString(out.resolve("results.md"), md);
        Charts.write(scenarios, out);
        System.out.println(md);
        RunContext.log("wrote %s (results.json, results.md, *.png)", out);
        System.exit(0);
    }

    /** One system's run of a scenario; a failure is logged and recorded, and the run goes on. */
    private static void measure(Map<String, Object> bySystem, String scenario, String system, Callable<Object> run)
            throws InterruptedException {
        RunContext.log("=== %s: %s (load %s)", scenario, system, LoadAverage.now());
        try {
            bySystem.put(system, run.call());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            RunContext.log("%s/%s failed: %s", scenario, system, e);
            e.printStackTrace(System.out);
            bySystem.put(system, Map.of("error", String.valueOf(e)));
        }
        Thread.sleep(2000); // let the previous server's sockets and CPU settle
    }

    private static Map<String, SystemUnderTest> systems(LoadOptions o, Path repo) throws IOException {
        Map<String, SystemUnderTest> m = new LinkedHashMap<>();
        for (String s : o.systems()) {
            m.put(
                    s,
                    switch (s) {
                        case "stepcast" -> gateway(o, repo);
                        case "socketio" ->
                            new SocketIoPeer(
                                    repo.resolve("deploy/loadtest/socketio/server.js"), "node", o.socketIoWorkers());
                        case "netty" -> new NettyCeiling(o.serverJvmOpts(), o.serverEnv(), false);
                        case "netty-plain" -> new NettyCeiling(o.serverJvmOpts(), o.serverEnv(), true);
                        default -> throw new IllegalArgumentException(s);
                    });
        }
        return m;
    }

    private static StepcastGateway gateway(LoadOptions o, Path repo) throws IOException {
        return new StepcastGateway(
                gatewayJar(repo), o.serverJvmOpts(), o.serverEnv(), o.gatewayArgs(), o.jfr(), o.auth());
    }

    private static Path gatewayJar(Path repo) throws IOException {
        return find(
                repo.resolve("gateway/target"), "gateway-", ".jar", "gateway jar (run ./mvnw -pl gateway -am package)");
    }

    private static Path bridgeCliJar(Path repo) throws IOException {
        return find(repo.resolve("orchestrator-bridge/target"), "orchestrator-bridge-", "-cli.jar", "bridge CLI jar");
    }

    private static Path find(Path dir, String prefix, String suffix, String what) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().endsWith(suffix)
                            && !p.getFileName().toString().contains("sources"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no " + what + " in " + dir));
        }
    }

    private static void clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }
}
