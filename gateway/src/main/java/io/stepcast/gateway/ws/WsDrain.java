package io.stepcast.gateway.ws;

import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import io.stepcast.gateway.protocol.CloseCode;
import io.stepcast.gateway.protocol.ServerFrame;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful drain of WebSocket clients on shutdown (SIGTERM → Micronaut graceful shutdown).
 *
 * <p>{@code GatewayShutdown} runs it on SIGTERM before Micronaut's own graceful shutdown (which would
 * otherwise close WebSocket connections abruptly); it is also registered as a
 * {@link GracefulShutdownCapable} so any other orderly stop marks the instance draining.
 *
 * <p>Order: the instance is marked draining first (readiness DOWN, new upgrades get 503); then each
 * open connection, at a random moment within {@code stepcast.ws.drain-window}, gets
 * {@code reconnect {reason:"draining", after_ms}} and is closed with 1012, so clients spread their
 * reconnects over the other instances instead of stampeding. Completes when every connection has
 * closed; Micronaut's {@code micronaut.lifecycle.graceful-shutdown.grace-period} bounds the wait.
 */
@Singleton
public final class WsDrain implements GracefulShutdownCapable {

    private static final Logger LOG = LoggerFactory.getLogger(WsDrain.class);

    private final DrainState state;
    private final ConnectionRegistry connections;
    private final WsConfig config;
    private final AtomicReference<CompletableFuture<Void>> running = new AtomicReference<>();

    WsDrain(DrainState state, ConnectionRegistry connections, WsConfig config) {
        this.state = state;
        this.connections = connections;
        this.config = config;
    }

    /** Idempotent: the first call starts the drain, later calls return the same stage. */
    @Override
    public CompletionStage<?> shutdownGracefully() {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        if (!running.compareAndSet(null, mine)) {
            return running.get();
        }
        drain().whenComplete((v, e) -> mine.complete(null));
        return mine;
    }

    private CompletionStage<?> drain() {
        state.start();
        List<WsConnection> open = connections.snapshot();
        LOG.info("drain: readiness down; moving {} WebSocket connections over {}", open.size(), config.drainWindow());
        if (open.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long window = config.drainWindow().toNanos();
        long afterMax = config.reconnectAfterMax().toMillis();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        CompletableFuture<?>[] closed = new CompletableFuture<?>[open.size()];
        for (int i = 0; i < closed.length; i++) {
            WsConnection c = open.get(i);
            closed[i] = c.closed().toCompletableFuture();
            drainAfter(c, window <= 0 ? 0 : random.nextLong(window), afterMax <= 0 ? 0 : random.nextLong(afterMax + 1));
        }
        return CompletableFuture.allOf(closed)
                .whenComplete((v, e) -> LOG.info("drain: all WebSocket connections closed"));
    }

    @Override
    public OptionalLong reportActiveTasks() {
        return OptionalLong.of(connections.size());
    }

    /**
     * One connection's drain step: after {@code delayNanos}, sends
     * {@code reconnect {reason:"draining", after_ms}} and closes with 1012, on its event loop.
     */
    private static void drainAfter(WsConnection c, long delayNanos, long afterMs) {
        c.eventLoop()
                .schedule(
                        () -> {
                            c.send(new ServerFrame.Reconnect("draining", afterMs));
                            c.close(CloseCode.SERVICE_RESTART);
                        },
                        delayNanos,
                        TimeUnit.NANOSECONDS);
    }
}
