package io.stepcast.bridge.command;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.stepcast.bridge.RedisLayout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
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
 * <p>Standalone Redis ({@link #start(RedisClient, RedisLayout, Collection, CommandHandler,
 * CommandReplies, CommandListenerOptions) start(RedisClient, …)}): one dedicated thread and connection
 * read every plan with one multi-key XREADGROUP. Redis Cluster ({@link #start(RedisClusterClient,
 * RedisLayout, Collection, CommandHandler, CommandReplies, CommandListenerOptions) start(RedisClusterClient,
 * …)}): a plan's command stream lives in the plan's slot, and a multi-key command must not cross slots,
 * so there is one dedicated thread and cluster connection per slot in use (in practice one per plan);
 * each follows its slot to a new master after a failover or a slot migration (give the client topology
 * refresh, as {@code pipe} does). Mind the cost: thousands of plans on one listener mean thousands of
 * threads and connections on a cluster.
 *
 * <p>Threading: the handler runs on a listener thread, one command at a time (calls are serialized
 * across the per-slot threads). {@link #addPlan}/{@link #removePlan} are thread-safe and take effect at
 * the next read (within {@link CommandListenerOptions#block()}); on a cluster, a plan in a new slot
 * starts its thread at once and its connection is opened by that thread.
 */
public final class CommandListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandListener.class);
    /** The one loop's key on standalone Redis. */
    private static final int ALL_SLOTS = -1;

    private final RedisLayout layout;
    private final CommandListenerOptions options;
    private final CommandDispatch dispatch;
    private final Supplier<CommandReadLoop.Link> connector;
    private final boolean cluster;
    /** Read loops by slot (cluster) or the single one under {@link #ALL_SLOTS}; never shrinks. */
    private final Map<Integer, CommandReadLoop> loops = new ConcurrentHashMap<>();

    private volatile boolean closed;

    private CommandListener(
            Supplier<CommandReadLoop.Link> connector,
            boolean cluster,
            RedisLayout layout,
            CommandHandler handler,
            CommandReplies replies,
            CommandListenerOptions options) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.options = Objects.requireNonNull(options, "options");
        this.dispatch = new CommandDispatch(
                Objects.requireNonNull(handler, "handler"), Objects.requireNonNull(replies, "replies"), options);
        this.connector = connector;
        this.cluster = cluster;
    }

    /**
     * Standalone Redis: opens one dedicated connection (fails fast when Redis is unreachable) and starts
     * listening.
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
        Supplier<CommandReadLoop.Link> connector = () -> {
            StatefulRedisConnection<String, String> c = client.connect();
            return new CommandReadLoop.Link(c, c.sync());
        };
        return start(new CommandListener(connector, false, layout, handler, replies, options), plans);
    }

    /**
     * Redis Cluster: opens one dedicated cluster connection per slot of the initial plans (fails fast
     * when the cluster is unreachable) and starts listening.
     *
     * @param plans   initial plans (more with {@link #addPlan})
     * @param replies where outcomes go; stays the caller's (not closed by {@link #close()})
     */
    public static CommandListener start(
            RedisClusterClient client,
            RedisLayout layout,
            Collection<String> plans,
            CommandHandler handler,
            CommandReplies replies,
            CommandListenerOptions options) {
        Supplier<CommandReadLoop.Link> connector = () -> {
            StatefulRedisClusterConnection<String, String> c = client.connect();
            return new CommandReadLoop.Link(c, c.sync());
        };
        return start(new CommandListener(connector, true, layout, handler, replies, options), plans);
    }

    private static CommandListener start(CommandListener listener, Collection<String> plans) {
        try {
            for (String plan : plans) {
                listener.loopOf(listener.track(plan)).connect();
            }
            if (!listener.cluster) {
                listener.loopOf(ALL_SLOTS).connect();
            }
        } catch (RuntimeException e) {
            listener.close();
            throw e;
        }
        plans.forEach(listener::addPlan);
        LOG.info(
                "Command listener {} started on {} plan(s), {} read loop(s)",
                listener.options.consumer(),
                plans.size(),
                listener.loops.size());
        return listener;
    }

    /** Starts listening to {@code planId}'s commands as well. */
    public void addPlan(String planId) {
        String key = track(planId);
        loopOf(key).add(key);
    }

    /** Stops reading {@code planId}'s commands; its pending entries stay in the group for others. */
    public void removePlan(String planId) {
        String key = layout.commandsKey(planId);
        CommandReadLoop loop = loops.get(slotOf(key));
        if (loop != null) {
            loop.remove(key);
        }
    }

    /** Commands handed to the handler (or answered by the listener itself) and acknowledged so far. */
    public long handledCount() {
        return dispatch.handledCount();
    }

    public CommandListenerOptions options() {
        return options;
    }

    private String track(String planId) {
        String key = layout.commandsKey(planId);
        dispatch.mapKey(key, planId);
        return key;
    }

    private CommandReadLoop loopOf(String key) {
        return loopOf(slotOf(key));
    }

    private CommandReadLoop loopOf(int slot) {
        return loops.computeIfAbsent(slot, s -> {
            if (closed) {
                throw new IllegalStateException("command listener closed");
            }
            CommandReadLoop loop =
                    new CommandReadLoop(connector, dispatch, options, s == ALL_SLOTS ? "" : "-slot-" + s);
            loop.start();
            return loop;
        });
    }

    private int slotOf(String key) {
        return cluster ? SlotHash.getSlot(key) : ALL_SLOTS;
    }

    /**
     * Stops listening: a handler in progress finishes and its entry is acknowledged; a blocked read is
     * aborted by closing its connection. Waits at most {@code block + 5 s} for the threads.
     */
    @Override
    public void close() {
        closed = true;
        List<CommandReadLoop> all = new ArrayList<>(loops.values());
        all.forEach(CommandReadLoop::stop);
        all.forEach(CommandReadLoop::await);
    }
}
