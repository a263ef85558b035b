package io.stepcast.demo;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.stepcast.gateway.Application;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo mode: one command, a JDK and nothing else. Starts an embedded Redis, a Stepcast gateway wired
 * to it, and the bridge's simulated orchestrator publishing into it, so live plans move at once.
 *
 * <p>This is the only place where a gateway runs on a private, embedded Redis: a gateway started
 * any other way needs {@code stepcast.redis.uri} and fails fast without it. Demo mode turns
 * client authentication off and binds the loopback interface by default; it says so loudly.
 *
 * <p>Lifecycle: {@link #start(DemoLaunchOptions)} returns once all three parts run; {@link #close()}
 * stops them in reverse order (orchestrator, gateway, Redis) and is idempotent. {@link #main}
 * registers a shutdown hook, so Ctrl+C stops everything cleanly.
 */
public final class DemoLauncher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoLauncher.class);

    private final EmbeddedRedis redis;
    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final DemoSimulation simulation;
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DemoLauncher(
            EmbeddedRedis redis,
            ApplicationContext context,
            EmbeddedServer server,
            DemoSimulation simulation,
            String host) {
        this.redis = redis;
        this.context = context;
        this.server = server;
        this.simulation = simulation;
        this.host = host;
    }

    /** The arguments without {@code --demo} (accepted and ignored: this launcher is demo mode). */
    static String[] withoutDemoFlag(String[] args) {
        return Arrays.stream(args).filter(a -> !"--demo".equals(a)).toArray(String[]::new);
    }

    public static void main(String[] args) throws InterruptedException {
        DemoLaunchOptions options;
        try {
            options = DemoLaunchOptions.parse(withoutDemoFlag(args), systemProperties());
        } catch (IllegalArgumentException e) {
            System.err.println("stepcast demo: " + e.getMessage());
            System.err.println("usage: DemoLauncher [--port=8080] [--host=localhost] [--redis-port=0] [--plans=3]");
            System.exit(2);
            return;
        }
        DemoLauncher demo;
        try {
            demo = start(options);
        } catch (RuntimeException e) {
            LOG.error("stepcast demo could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            demo.close();
                            stopped.countDown();
                        },
                        "stepcast-demo-shutdown"));
        demo.printBanner(System.out);
        if (Boolean.getBoolean("stepcast.demo.exit-with-parent")) {
            // started by `mvnw -Pdemo`: when Maven goes (killed without its process group), so do we
            ProcessHandle.current()
                    .parent()
                    .ifPresent(parent -> parent.onExit().thenRun(() -> {
                        LOG.info("the launching process exited; stopping the demo");
                        System.exit(0);
                    }));
        }
        stopped.await();
    }

    /**
     * Starts Redis, the gateway and the simulated orchestrator. On failure everything already
     * started is stopped again before the exception propagates.
     */
    public static DemoLauncher start(DemoLaunchOptions options) {
        EmbeddedRedis redis = EmbeddedRedis.start(options.redisPort());
        ApplicationContext context = null;
        try {
            LOG.info("embedded Redis (demo mode only) listening on 127.0.0.1:{}", redis.port());
            context = ApplicationContext.builder()
                    .mainClass(Application.class)
                    .environments("demo")
                    .args(options.micronautArgs().toArray(String[]::new))
                    .properties(gatewayProperties(options, redis))
                    .start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            if (!server.isRunning()) {
                server.start();
            }
            LOG.warn("DEMO MODE: embedded Redis, simulated orchestrator, authentication OFF (anyone may read, "
                    + "command and publish): never expose this instance");
            DemoSimulation simulation = DemoSimulation.start(redis.uri(), options.plans());
            return new DemoLauncher(redis, context, server, simulation, options.host());
        } catch (RuntimeException e) {
            if (context != null) {
                context.close();
            }
            redis.close();
            throw e;
        }
    }

    /** The Micronaut properties that wire a gateway to the embedded Redis in demo mode. */
    static Map<String, Object> gatewayProperties(DemoLaunchOptions options, EmbeddedRedis redis) {
        Map<String, Object> props = new HashMap<>();
        props.put("stepcast.redis.uri", redis.uri());
        props.put("micronaut.server.port", options.httpPort());
        props.put("micronaut.server.host", options.host());
        props.put("stepcast.demo.enabled", true);
        props.put("stepcast.auth.enabled", false);
        // a demo on this machine: its metrics are for whoever runs it
        props.put("stepcast.management.metrics-public", true);
        props.put("stepcast.demo.plans", DemoSimulation.planIds(options.plans()));
        props.put("stepcast.ingest.enabled", true);
        // Ctrl+C should end a demo promptly: a short WebSocket drain instead of the production 10 s
        props.put("stepcast.ws.drain-window", "1s");
        return props;
    }

    /** Base HTTP URL, e.g. {@code http://localhost:8080}. */
    public String httpUrl() {
        return "http://" + host + ":" + server.getPort();
    }

    /** WebSocket URL of the gateway. */
    public String wsUrl() {
        return "ws://" + host + ":" + server.getPort() + "/ws";
    }

    /** The gateway's HTTP port (useful with a random port). */
    public int port() {
        return server.getPort();
    }

    /** The embedded Redis URI. */
    public String redisUri() {
        return redis.uri();
    }

    /** Ids of the plans the simulated orchestrator keeps moving. */
    public List<String> planIds() {
        return simulation.planIds();
    }

    /** Events the simulated orchestrator has published so far. */
    public long publishedEvents() {
        return simulation.published();
    }

    /** The running gateway's application context. */
    public ApplicationContext context() {
        return context;
    }

    /** Prints what is running and how to watch it. */
    public void printBanner(PrintStream out) {
        String plan = planIds().get(0);
        StringBuilder b = new StringBuilder();
        b.append('\n')
                .append("  Stepcast demo is running (embedded Redis ")
                .append(redis.uri())
                .append(", auth OFF: demo only)\n")
                .append("    dashboard  ")
                .append(httpUrl())
                .append("/   (open it in a browser)\n")
                .append("    WebSocket  ")
                .append(wsUrl())
                .append("   (subprotocol stepcast.v1)\n")
                .append("    poll       ")
                .append(httpUrl())
                .append("/api/plans/")
                .append(plan)
                .append('\n')
                .append("    long-poll  ")
                .append(httpUrl())
                .append("/api/plans/")
                .append(plan)
                .append("/events?since=0&wait=25\n")
                .append("    SSE        ")
                .append(httpUrl())
                .append("/api/plans/")
                .append(plan)
                .append("/stream\n")
                .append("    dash poll  ")
                .append(httpUrl())
                .append("/api/dashboard/plan/")
                .append(plan)
                .append("/poll\n")
                .append("    demo plans ")
                .append(String.join(", ", planIds()))
                .append('\n')
                .append("    ingest     POST ")
                .append(httpUrl())
                .append("/api/plans/<plan>/events (no key in demo mode)\n")
                .append("  Try:  npx -y wscat -s stepcast.v1 -c ")
                .append(wsUrl())
                .append('\n')
                .append("        then send {\"type\":\"subscribe\",\"plan_id\":\"")
                .append(plan)
                .append("\"}\n")
                .append("  Press Ctrl+C to stop.\n");
        out.println(b);
        out.flush();
    }

    /** Stops the orchestrator, the gateway and Redis, in that order. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("stopping the stepcast demo: orchestrator, gateway, Redis");
        try {
            simulation.close();
            LOG.info("demo orchestrator stopped");
        } catch (RuntimeException e) {
            LOG.warn("demo orchestrator did not stop cleanly", e);
        }
        try {
            context.close();
            LOG.info("gateway stopped");
        } catch (RuntimeException e) {
            LOG.warn("gateway did not stop cleanly", e);
        }
        redis.close();
        LOG.info("embedded Redis stopped");
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> map = new HashMap<>();
        System.getProperties().forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
        return map;
    }
}
