package io.stepcast.gateway.presence;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.redis.LuaScript;
import io.stepcast.gateway.redis.RedisConnections;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Presence} kept in Redis (layout: {@link RedisLayout#presenceGatewaysKey()} and its siblings,
 * all in the slot of {@code {_presence}}): once per heartbeat this gateway's changes, its deadline and
 * the reaping of expired gateways go to Redis in one {@link PresenceScript} call; reads are one
 * {@code HGET}/{@code HMGET} of the total.
 *
 * <p>Threading: heartbeats run on this instance's own presence thread, never on an event loop, one
 * at a time (a heartbeat still in flight makes the next one wait for the following tick); reads
 * complete on Redis I/O threads.
 *
 * <p>Redis down: client connections never notice. A failed heartbeat keeps its changes (the next one
 * carries them, see {@link ShareLedger}); a gateway that was reaped while cut off re-registers its
 * full counts with its first heartbeat after the outage. Reads fail with
 * {@code RedisUnavailableException}.
 *
 * <p>{@link #close()} (graceful shutdown) removes this gateway's share at once, waiting at most the
 * given bound; a gateway that dies without it drops out when its deadline (two heartbeats) passes.
 */
public final class LettucePresence implements Presence, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LettucePresence.class);
    private static final long FIRST_BEAT_MAX_MS = 1_000;

    private final RedisConnections connections;
    /** Resolved on the first heartbeat, off the start-up path (the transports' beans are lazy). */
    private final Supplier<LocalCounts> local;

    private final String gatewayId;
    private final String totalKey;
    private final PresenceScript script;
    private final Duration closeBound;
    private final ShareLedger ledger = new ShareLedger();
    private final ScheduledExecutorService thread;
    /** Presence thread only. */
    private boolean inFlight;
    /** Presence thread only. */
    private boolean failing;
    /** Presence thread only: a heartbeat succeeded once (before that, Redis is still being connected). */
    private boolean reached;

    private volatile boolean closed;

    /**
     * Starts heartbeating: the first heartbeat (registration) one heartbeat from now, at most one second.
     *
     * @param closeBound how long {@link #close()} waits for Redis to drop this gateway's share
     */
    public LettucePresence(
            RedisConnections connections,
            RedisLayout layout,
            PresenceConfig config,
            Supplier<LocalCounts> local,
            String gatewayId,
            Duration closeBound) {
        this.connections = connections;
        this.local = local;
        this.gatewayId = gatewayId;
        this.totalKey = layout.presenceTotalKey();
        this.script = new PresenceScript(layout, gatewayId, config.deadline().toMillis());
        Duration heartbeat = config.heartbeat();
        this.closeBound = closeBound;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stepcast-presence");
            t.setDaemon(true);
            return t;
        });
        // the first one a moment after start-up, not during it
        long first = Math.min(heartbeat.toMillis(), FIRST_BEAT_MAX_MS);
        thread.scheduleWithFixedDelay(this::beat, first, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** This gateway's instance id in the presence keys. */
    public String gatewayId() {
        return gatewayId;
    }

    @Override
    public CompletableFuture<Long> watchers(String plan) {
        return read(commands -> commands.hget(totalKey, plan).toCompletableFuture())
                .thenApply(LettucePresence::count);
    }

    @Override
    public CompletableFuture<Map<String, Long>> watchers(Collection<String> plans) {
        if (plans.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        List<String> fields = new ArrayList<>(plans);
        return read(commands ->
                        commands.hmget(totalKey, fields.toArray(new String[0])).toCompletableFuture())
                .thenApply(values -> {
                    Map<String, Long> out = new LinkedHashMap<>();
                    for (int i = 0; i < fields.size(); i++) {
                        out.put(fields.get(i), count(values.get(i).getValueOrElse(null)));
                    }
                    return out;
                });
    }

    @Override
    public CompletableFuture<Long> connections() {
        return read(commands -> commands.hget(totalKey, ShareLedger.CONNECTIONS).toCompletableFuture())
                .thenApply(LettucePresence::count);
    }

    @Override
    public boolean clusterWide() {
        return true;
    }

    /** Stops heartbeating without removing this gateway's share, as a crash would (tests). */
    void stopHeartbeat() {
        closed = true;
        thread.shutdownNow();
    }

    /** Graceful shutdown: stops heartbeating and removes this gateway's share (bounded wait). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Boolean> left =
                CompletableFuture.supplyAsync(this::leave, thread).thenCompose(f -> f);
        try {
            left.get(closeBound.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("presence: gateway {} left", gatewayId);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn(
                    "presence: gateway {} could not leave ({}); it drops out within two heartbeats",
                    gatewayId,
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            thread.shutdownNow();
        }
    }

    private CompletableFuture<Boolean> leave() {
        try {
            return script.run(connections.commands(), ledger.leave());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** One heartbeat (presence thread). */
    private void beat() {
        if (closed || inFlight) {
            return;
        }
        ShareLedger.Request request;
        CompletableFuture<Boolean> sent;
        try {
            LocalCounts counts = local.get();
            request = ledger.next(counts.watchersByPlan(), counts.connections());
            sent = script.run(connections.commands(), request);
        } catch (RuntimeException e) {
            failed(e);
            return;
        }
        inFlight = true;
        sent.whenCompleteAsync((applied, error) -> settle(request, applied, error), thread);
    }

    private void settle(ShareLedger.Request request, Boolean applied, Throwable error) {
        inFlight = false;
        if (error != null) {
            failed(LuaScript.cause(error));
            return;
        }
        reached = true;
        if (failing) {
            failing = false;
            LOG.info("presence: heartbeats of gateway {} reach Redis again", gatewayId);
        }
        if (applied) {
            ledger.applied(request);
        } else {
            LOG.info(
                    "presence: Redis does not hold gateway {}'s share (reaped while cut off, or Redis restarted);"
                            + " re-registering its counts",
                    gatewayId);
            ledger.refused();
            beat();
        }
    }

    private void failed(Throwable error) {
        if (!reached) {
            LOG.debug("presence: first heartbeat of gateway {} not sent yet: {}", gatewayId, error.toString());
        } else if (!failing) {
            failing = true;
            LOG.warn(
                    "presence: heartbeat of gateway {} failed ({}); its changes are kept and sent once Redis"
                            + " answers",
                    gatewayId,
                    error.toString());
        }
    }

    private <T> CompletableFuture<T> read(
            Function<RedisClusterAsyncCommands<String, byte[]>, CompletableFuture<T>> call) {
        try {
            return LuaScript.unavailableOnError(call.apply(connections.commands()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static long count(byte[] value) {
        return value == null ? 0 : Math.max(0, Long.parseLong(new String(value, StandardCharsets.US_ASCII)));
    }
}
