package io.stepcast.bridge.cli;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.EventPublisher;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.command.CommandListenerOptions;
import io.stepcast.bridge.demo.DemoOptions;
import io.stepcast.bridge.demo.DemoOrchestrator;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code demo}: runs the simulated orchestrator against a Redis until stopped (or for --duration). */
final class DemoCommand {

    static final String USAGE = """
            demo [--redis <uri>] [--redis-mode standalone|cluster] [--prefix stepcast] [--rate 20] [--plans 3] [--plan-prefix demo-] [--failure-rate 0.2]
                 [--pause 3s] [--duration 0] [--seed <n>] [--no-commands]
                Publishes realistic CI/CD-like plans (demo-1..demo-N) at --rate events/s in total, forever or for
                --duration; answers the commands cancel, retry and status unless --no-commands. Stop with Ctrl-C.""";

    private DemoCommand() {}

    static int run(List<String> argv, Map<String, String> env, PrintStream err) throws InterruptedException {
        CliArgs args = new CliArgs(
                argv,
                BridgeCli.withTls(
                        "redis",
                        "prefix",
                        "rate",
                        "plans",
                        "plan-prefix",
                        "failure-rate",
                        "pause",
                        "duration",
                        "seed",
                        "redis-mode"),
                Set.of("no-commands"));
        RedisMode mode = BridgeCli.redisMode(args, env);
        String uri = BridgeCli.redisUri(args, env);
        RedisLayout layout = BridgeCli.layout(args);
        BridgeConfig config = BridgeConfig.builder()
                .prefix(layout.prefix())
                .redisMode(mode)
                .tls(BridgeCli.redisTls(args, env, uri))
                .build();
        DemoOptions defaults = DemoOptions.defaults();
        DemoOptions options;
        try {
            options = new DemoOptions(
                    args.integer("plans", defaults.plans(), 1, DemoOptions.MAX_PLANS),
                    args.get("plan-prefix", defaults.planPrefix()),
                    args.number("rate", defaults.eventsPerSecond()),
                    args.number("failure-rate", defaults.failureRate()),
                    args.duration("pause", defaults.pause()),
                    Long.parseLong(args.get("seed", Long.toString(defaults.seed()))));
        } catch (IllegalArgumentException e) {
            throw new CliArgs.UsageException(e.getMessage());
        }
        Duration duration = args.duration("duration", Duration.ZERO);

        boolean commands = !args.flag("no-commands");
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stop.countDown();
                    try {
                        stopped.await(15, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "stepcast-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (EventPublisher publisher = LettuceEventPublisher.create(uri, config);
                DemoOrchestrator demo = DemoOrchestrator.start(publisher, options);
                CommandWiring wiring = commands
                        ? CommandWiring.start(
                                uri, config, demo.planIds(), demo.commandHandler(), CommandListenerOptions.defaults())
                        : null) {
            err.printf(
                    "demo: %d plan(s) %s1..%s%d at %s events/s on %s (prefix %s)%n",
                    options.plans(),
                    options.planPrefix(),
                    options.planPrefix(),
                    options.plans(),
                    options.eventsPerSecond(),
                    uri,
                    layout.prefix());
            long deadline = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            long last = 0;
            long lastAt = System.nanoTime();
            while (System.nanoTime() - deadline < 0
                    && !stop.await(Math.min(5_000, remainingMillis(deadline)), TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                long count = demo.publishedCount();
                err.printf(
                        "demo: %d events published (%.0f/s), %d failed%n",
                        count, (count - last) * 1e9 / Math.max(1, now - lastAt), demo.failedCount());
                last = count;
                lastAt = now;
            }
            err.printf(
                    "demo: stopping after %d events published, %d failed%n", demo.publishedCount(), demo.failedCount());
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for 'stopped'
            }
        }
        return 0;
    }

    private static long remainingMillis(long deadline) {
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    }
}
