package io.stepcast.bridge.command;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.stepcast.bridge.RedisLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads client commands from plan command streams ({@link RedisLayout#commandsKey(String)}) through a
 * consumer group, hands each to a {@link CommandHandler}, sends the outcome to the originating session
 * ({@link CommandReplies}) and then acknowledges the entry (XACK).
 *
 * <p>Nothing is lost: the group is created at the start of the stream (MKSTREAM) so commands sent
 * before the orchestrator came up are read; this consumer's own unacknowledged entries (a crash
 * mid-handler) are handled again on start; entries left pending by a consumer that died are claimed
 * (XAUTOCLAIM) once idle for {@link CommandListenerOptions#claimMinIdle()}. Delivery is therefore
 * at-least-once ({@link ReceivedCommand#redelivered()}). If the stream or group disappears (TTL,
 * FLUSHALL) the group is re-created; Redis outages are retried with backoff.
 *
 * <p>Threading: one dedicated thread and one dedicated connection per listener (XREADGROUP BLOCK
 * would stall any connection it shared). The handler runs on that thread, one command at a time.
 * {@link #addPlan}/{@link #removePlan} are thread-safe and take effect at the next read (within
 * {@link CommandListenerOptions#block()}). Uses multi-key XREADGROUP: standalone Redis or a cluster
 * where all listened plans share a slot.
 */
public final class CommandListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandListener.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final RedisLayout layout;
    private final CommandHandler handler;
    private final CommandReplies replies;
    private final CommandListenerOptions options;
    private final StatefulRedisConnection<String, String> connection;
    private final Consumer<String> consumer;
    /** Stream key → plan id of every plan ever added; never shrinks (late entries still map). */
    private final Map<String, String> planOfKey = new ConcurrentHashMap<>();
    /** Stream keys read now. */
    private final Set<String> activeKeys = ConcurrentHashMap.newKeySet();
    /** Keys whose group exists and whose own pending entries were recovered; listener thread only. */
    private final Set<String> readyKeys = new HashSet<>();

    private final AtomicLong handled = new AtomicLong();
    private final Object wakeup = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean reading;
    /** Guarded by this: the one close of {@link #connection}, once started. */
    private CompletableFuture<Void> closing;

    private CommandListener(
            RedisClient client,
            RedisLayout layout,
            Collection<String> plans,
            CommandHandler handler,
            CommandReplies replies,
            CommandListenerOptions options) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.options = Objects.requireNonNull(options, "options");
        plans.forEach(this::addPlan);
        this.consumer = Consumer.from(options.group(), options.consumer());
        this.connection = client.connect();
        this.connection.setTimeout(options.block().plusSeconds(10));
        this.thread = new Thread(this::run, "stepcast-commands-" + options.consumer());
        this.thread.setDaemon(true);
    }

    /**
     * Opens a dedicated connection (fails fast when Redis is unreachable) and starts listening.
     *
     * @param plans   initial plans (more with {@link #addPlan})
     * @param replies where outcomes go; stays the caller's (not closed by {@link #close()})
     */
    public static CommandListener start(
            RedisClient client,
            RedisLayout layout,
            Collection<String> plans,
            CommandHandler handler,
            CommandReplies replies,
            CommandListenerOptions options) {
        CommandListener listener = new CommandListener(client, layout, plans, handler, replies, options);
        listener.thread.start();
        LOG.info("Command listener {} started on {} plan(s)", options.consumer(), plans.size());
        return listener;
    }

    /** Starts listening to {@code planId}'s commands as well. */
    public void addPlan(String planId) {
        String key = layout.commandsKey(planId);
        planOfKey.put(key, planId);
        activeKeys.add(key);
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    /** Stops reading {@code planId}'s commands; its pending entries stay in the group for others. */
    public void removePlan(String planId) {
        activeKeys.remove(layout.commandsKey(planId));
    }

    /** Commands handed to the handler (or answered by the listener itself) and acknowledged so far. */
    public long handledCount() {
        return handled.get();
    }

    public CommandListenerOptions options() {
        return options;
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
                RedisCommands<String, String> redis = connection.sync();
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
                        options.consumer(),
                        backoffMillis,
                        e.toString());
                if (!pause(backoffMillis)) {
                    break;
                }
            }
        }
        LOG.info("Command listener {} stopped", options.consumer());
    }

    /** Creates the group at the start of the stream and handles this consumer's own unacknowledged entries. */
    @SuppressWarnings("unchecked")
    private void prepare(RedisCommands<String, String> redis, String key) {
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
    private void claimAbandoned(RedisCommands<String, String> redis, String key) {
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
            RedisCommands<String, String> redis,
            String key,
            StreamMessage<String, String> message,
            boolean redelivered) {
        Map<String, String> body = message.getBody();
        if (body != null && !body.isEmpty()) {
            answer(key, message, body, redelivered);
        }
        redis.xack(key, options.group(), message.getId());
        handled.incrementAndGet();
    }

    private void answer(
            String key, StreamMessage<String, String> message, Map<String, String> body, boolean redelivered) {
        CommandRecord record;
        try {
            record = CommandRecord.fromFields(body);
        } catch (IllegalArgumentException e) {
            LOG.warn("Malformed command {} on {}: {}", message.getId(), key, e.getMessage());
            failQuietly(
                    body.get(CommandRecord.FIELD_SESSION),
                    body.get(CommandRecord.FIELD_ID),
                    CommandOutcome.fail(CommandError.BAD_COMMAND, e.getMessage()));
            return;
        }
        if (!options.maxAge().isZero() && record.ts().plus(options.maxAge()).isBefore(Instant.now())) {
            failQuietly(
                    record.session(),
                    record.id(),
                    CommandOutcome.fail(
                            CommandError.EXPIRED,
                            "command waited longer than " + options.maxAge() + " for the orchestrator"));
            return;
        }
        CommandOutcome outcome;
        try {
            outcome = handler.handle(
                    new ReceivedCommand(planOfKey.getOrDefault(key, key), message.getId(), record, redelivered));
            if (outcome == null) {
                throw new IllegalStateException("handler returned null");
            }
        } catch (Exception e) {
            LOG.error("Command handler failed on {} {} ({}): ", record.command(), record.id(), key, e);
            outcome = CommandOutcome.fail(CommandError.HANDLER_ERROR, "the orchestrator failed to handle the command");
        }
        try {
            replies.send(record.session(), record.id(), outcome);
        } catch (IllegalArgumentException e) {
            LOG.error(
                    "Command handler returned an unsendable outcome for {} {}: {}",
                    record.command(),
                    record.id(),
                    e.getMessage());
            failQuietly(
                    record.session(),
                    record.id(),
                    CommandOutcome.fail(CommandError.HANDLER_ERROR, "the orchestrator returned an invalid result"));
        }
    }

    private void failQuietly(String session, String commandId, CommandOutcome outcome) {
        try {
            replies.send(session, commandId, outcome);
        } catch (IllegalArgumentException e) {
            LOG.debug("No reply possible (session {}, id {}): {}", session, commandId, e.getMessage());
        }
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

    /**
     * Stops listening: a handler in progress finishes and its entry is acknowledged; a blocked read is
     * aborted by closing the connection. Waits at most {@code block + 5 s} for the thread.
     */
    @Override
    public void close() {
        running = false;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        if (reading) {
            closeConnection();
        }
        try {
            thread.join(options.block().plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection().join();
    }

    /** Closes the connection once (a second close makes Lettuce warn "Connection is already closed"). */
    private synchronized CompletableFuture<Void> closeConnection() {
        if (closing == null) {
            closing = connection.closeAsync();
        }
        return closing;
    }
}
