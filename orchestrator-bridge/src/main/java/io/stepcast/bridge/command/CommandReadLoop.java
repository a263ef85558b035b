package io.stepcast.bridge.command;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One blocking XREADGROUP loop of a {@link CommandListener} over a set of command streams that one
 * XREADGROUP may name together: every stream on standalone Redis, the streams of one hash slot on a
 * cluster (a multi-key command must not cross slots).
 *
 * <p>Threading: one dedicated thread and one dedicated connection (XREADGROUP BLOCK would stall any
 * connection it shared). The connection is opened by {@link #connect()} or, when that failed or was not
 * called, by the thread itself, retried with backoff like every other Redis failure.
 */
final class CommandReadLoop {

    private static final Logger LOG = LoggerFactory.getLogger(CommandReadLoop.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** A dedicated connection and its synchronous commands (standalone or cluster). */
    record Link(StatefulConnection<String, String> connection, RedisClusterCommands<String, String> sync) {}

    private final Supplier<Link> connector;
    private final CommandDispatch dispatch;
    private final CommandListenerOptions options;
    private final Consumer<String> consumer;
    /** Stream keys read now. */
    private final Set<String> activeKeys = ConcurrentHashMap.newKeySet();
    /** Keys whose group exists and whose own pending entries were recovered; loop thread only. */
    private final Set<String> readyKeys = new HashSet<>();

    private final Object wakeup = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean reading;
    /** Guarded by this. */
    private Link link;
    /** Guarded by this: the one close of {@link #link}, once started. */
    private CompletableFuture<Void> closing;

    CommandReadLoop(Supplier<Link> connector, CommandDispatch dispatch, CommandListenerOptions options, String name) {
        this.connector = connector;
        this.dispatch = dispatch;
        this.options = options;
        this.consumer = Consumer.from(options.group(), options.consumer());
        this.thread = new Thread(this::run, "stepcast-commands-" + options.consumer() + name);
        this.thread.setDaemon(true);
    }

    /** Opens the connection now (fails fast when Redis is unreachable). */
    void connect() {
        link();
    }

    void start() {
        thread.start();
    }

    void add(String key) {
        activeKeys.add(key);
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    void remove(String key) {
        activeKeys.remove(key);
    }

    private synchronized Link link() {
        if (link == null) {
            if (!running) {
                throw new IllegalStateException("command listener closed");
            }
            Link opened = connector.get();
            opened.connection().setTimeout(options.block().plusSeconds(10));
            link = opened;
        }
        return link;
    }

    private void run() {
        long backoffMillis = 0;
        long nextClaim = System.nanoTime();
        while (running) {
            try {
                List<String> keys = new ArrayList<>(activeKeys);
                if (keys.isEmpty()) {
                    synchronized (wakeup) {
                        if (activeKeys.isEmpty() && running) {
                            wakeup.wait(options.block().toMillis());
                        }
                    }
                    continue;
                }
                RedisClusterCommands<String, String> redis = link().sync();
                for (String key : keys) {
                    if (!readyKeys.contains(key)) {
                        prepare(redis, key);
                        readyKeys.add(key);
                    }
                }
                if (System.nanoTime() - nextClaim >= 0) {
                    for (String key : keys) {
                        claimAbandoned(redis, key);
                    }
                    nextClaim = System.nanoTime() + options.claimInterval().toNanos();
                }
                @SuppressWarnings("unchecked")
                StreamOffset<String>[] offsets =
                        keys.stream().map(StreamOffset::lastConsumed).toArray(StreamOffset[]::new);
                reading = true;
                List<StreamMessage<String, String>> messages = running
                        ? redis.xreadgroup(
                                consumer,
                                XReadArgs.Builder.block(options.block()).count(options.batchSize()),
                                offsets)
                        : List.of();
                reading = false;
                for (StreamMessage<String, String> message : messages) {
                    process(redis, message.getStream(), message, false);
                }
                backoffMillis = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                reading = false;
                if (!running) {
                    break;
                }
                if (isNoGroup(e)) {
                    LOG.info("Command stream or group {} vanished; re-creating", options.group());
                    readyKeys.clear();
                    continue;
                }
                backoffMillis = Math.min(MAX_BACKOFF.toMillis(), Math.max(100, backoffMillis * 2));
                LOG.warn(
                        "Command listener {}: Redis call failed, retrying in {} ms: {}",
                        thread.getName(),
                        backoffMillis,
                        e.toString());
                if (!pause(backoffMillis)) {
                    break;
                }
            }
        }
        LOG.info("Command listener {} stopped", thread.getName());
    }

    /** Creates the group at the start of the stream and handles this consumer's own unacknowledged entries. */
    @SuppressWarnings("unchecked")
    private void prepare(RedisClusterCommands<String, String> redis, String key) {
        try {
            redis.xgroupCreate(StreamOffset.from(key, "0"), options.group(), XGroupCreateArgs.Builder.mkstream());
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
        String cursor = "0";
        while (running) {
            List<StreamMessage<String, String>> own = redis.xreadgroup(
                    consumer, XReadArgs.Builder.count(options.batchSize()), StreamOffset.from(key, cursor));
            if (own.isEmpty()) {
                return;
            }
            for (StreamMessage<String, String> message : own) {
                process(redis, key, message, true);
                cursor = message.getId();
            }
        }
    }

    /** XAUTOCLAIM: takes over entries that another (presumably dead) consumer left pending too long. */
    private void claimAbandoned(RedisClusterCommands<String, String> redis, String key) {
        String cursor = "0-0";
        for (int round = 0; round < 100 && running; round++) {
            ClaimedMessages<String, String> claimed = redis.xautoclaim(
                    key,
                    new XAutoClaimArgs<String>()
                            .consumer(consumer)
                            .minIdleTime(options.claimMinIdle())
                            .startId(cursor)
                            .count(options.batchSize()));
            for (StreamMessage<String, String> message : claimed.getMessages()) {
                if (message != null) {
                    LOG.info("Claimed abandoned command {} on {}", message.getId(), key);
                    process(redis, key, message, true);
                }
            }
            cursor = claimed.getId();
            if (cursor == null || "0-0".equals(cursor)) {
                return;
            }
        }
    }

    private void process(
            RedisClusterCommands<String, String> redis,
            String key,
            StreamMessage<String, String> message,
            boolean redelivered) {
        dispatch.dispatch(key, message, redelivered);
        redis.xack(key, options.group(), message.getId());
        dispatch.acknowledged();
    }

    private static boolean isNoGroup(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("NOGROUP")) {
                return true;
            }
        }
        return false;
    }

    private boolean pause(long millis) {
        synchronized (wakeup) {
            try {
                if (running) {
                    wakeup.wait(millis);
                }
                return running;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** First half of closing: stops the loop and aborts a blocked read by closing the connection. */
    void stop() {
        running = false;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        if (reading) {
            closeConnection();
        }
    }

    /** Second half: waits at most {@code block + 5 s} for the thread, then closes the connection. */
    void await() {
        try {
            if (thread.isAlive()) {
                thread.join(options.block().plusSeconds(5).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection().join();
    }

    /** Closes the connection once (a second close makes Lettuce warn "Connection is already closed"). */
    private synchronized CompletableFuture<Void> closeConnection() {
        if (closing == null) {
            closing = link == null
                    ? CompletableFuture.completedFuture(null)
                    : link.connection().closeAsync();
        }
        return closing;
    }
}
