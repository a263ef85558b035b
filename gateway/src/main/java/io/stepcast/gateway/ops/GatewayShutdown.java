package io.stepcast.gateway.ops;

import io.micronaut.context.ApplicationContext;
import io.stepcast.gateway.ws.WsConfig;
import io.stepcast.gateway.ws.WsDrain;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Orderly shutdown on SIGTERM: drain WebSocket clients first, then stop the application.
 *
 * <p>Why not only Micronaut's graceful shutdown: its JVM shutdown hook stops the Netty server (closing
 * every WebSocket abruptly) before the context's graceful-shutdown phase, and that phase itself closes
 * upgraded connections as idle HTTP connections. So SIGTERM is handled here: {@link WsDrain} runs to
 * completion (readiness DOWN, {@code reconnect} + 1012 over the drain window, bounded by the window
 * plus {@code close-timeout}), then the context is stopped (Micronaut's graceful shutdown for the
 * remaining HTTP requests), then the JVM exits with status 0.
 */
public final class GatewayShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayShutdown.class);

    private final ApplicationContext context;

    public GatewayShutdown(ApplicationContext context) {
        this.context = context;
    }

    /** Installs the SIGTERM handler (replacing the JVM's default, which would run the hooks at once). */
    public static void installSigtermHandler(ApplicationContext context) {
        GatewayShutdown shutdown = new GatewayShutdown(context);
        Signal.handle(new Signal("TERM"), signal -> {
            Thread t = new Thread(
                    () -> {
                        shutdown.drainThenStop();
                        System.exit(0);
                    },
                    "stepcast-shutdown");
            t.start();
        });
    }

    /** Drains WebSocket clients (blocking this thread, never an event loop), then stops the context. */
    public void drainThenStop() {
        LOG.info("shutdown: draining");
        WsConfig ws = context.getBean(WsConfig.class);
        Duration bound = ws.drainWindow().plus(ws.closeTimeout()).plusSeconds(1);
        try {
            context.getBean(WsDrain.class)
                    .shutdownGracefully()
                    .toCompletableFuture()
                    .get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("shutdown: drain did not finish within {}; stopping anyway", bound);
        } catch (ExecutionException e) {
            LOG.warn("shutdown: drain failed; stopping anyway", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (context.isRunning()) {
            context.stop();
        }
        LOG.info("shutdown: stopped");
    }
}
