package io.stepcast.gateway;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.EmbeddedApplication;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the gateway with ONE application context whose environment is read once: the environment
 * is started first and checked for the required settings ({@link RequiredSettings}), then the same
 * context starts, then its HTTP server. (Checking with a context of its own, then calling
 * {@code Micronaut.run}, read every property source twice on the path to the first request.)
 *
 * <p>What {@code Micronaut.run} does besides, kept here: a JVM shutdown hook that stops the server
 * and closes the context, a non-daemon keep-alive thread while the server runs, the "Startup
 * completed" log line, and exit status 1 (with the error logged) when start-up fails. Not kept: the
 * ASCII banner.
 */
final class GatewayStart {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayStart.class);

    private GatewayStart() {}

    /** The outcome of {@link #start}: a running context, or the required settings that are missing. */
    sealed interface Outcome {
        /** The gateway runs. */
        record Running(ApplicationContext context) implements Outcome {}

        /** Nothing was started: these settings are missing or invalid. */
        record Missing(List<String> problems) implements Outcome {}
    }

    static Outcome start(String[] args) {
        long t0 = System.nanoTime();
        ApplicationContext context =
                Micronaut.build(args).mainClass(Application.class).banner(false).build();
        Environment environment = context.getEnvironment().start();
        List<String> problems = RequiredSettings.problems(environment);
        if (!problems.isEmpty()) {
            environment.stop();
            return new Outcome.Missing(problems);
        }
        try {
            context.start(); // the environment is running already: not read again
            EmbeddedApplication<?> app =
                    context.findBean(EmbeddedApplication.class).orElse(null);
            if (app != null) {
                app.start();
                keepRunning(context, app);
                if (app instanceof EmbeddedServer server) {
                    LOG.info(
                            "Startup completed in {}ms. Server Running: {}",
                            (System.nanoTime() - t0) / 1_000_000,
                            server.getURL());
                }
            }
            return new Outcome.Running(context);
        } catch (RuntimeException | Error e) {
            LOG.error("Error starting the Stepcast gateway: {}", e.getMessage(), e);
            try {
                context.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            System.exit(1);
            throw e;
        }
    }

    private static void keepRunning(ApplicationContext context, EmbeddedApplication<?> app) {
        if (!app.isServer()) {
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        if (app.isShutdownHookNeeded()) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    if (app.isRunning()) {
                                        app.stop();
                                    }
                                    if (context.isRunning()) {
                                        context.close();
                                    }
                                } finally {
                                    stopped.countDown();
                                }
                            },
                            "stepcast-jvm-shutdown"));
        }
        if (app instanceof EmbeddedServer server && server.isKeepAlive()) {
            Thread keepAlive = new Thread(
                    () -> {
                        try {
                            stopped.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "stepcast-keep-alive");
            keepAlive.setDaemon(false);
            keepAlive.start();
        }
    }
}
