package io.stepcast.gateway.redis;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of this instance's two Redis connections, kept up to date by the connections' own
 * connect/disconnect events: reading it never opens a connection or sends a command, so readiness
 * probes may call {@link #isUp()} as often as they like.
 *
 * <p>Threading: thread-safe. Listeners are called on the Redis I/O thread that observed the
 * transition, once per transition, and must not block.
 *
 * <p>A link going down is a warning, except once the application is shutting down: then the
 * gateway closes its connections itself and says so at INFO.
 */
@Singleton
public final class RedisHealth implements ApplicationEventListener<ShutdownEvent> {

    /** One of the instance's Redis connections. */
    public enum Link {
        /** The command connection (reads, command stream appends). */
        COMMANDS,
        /** The single pub/sub connection (plan channels, session channels). */
        PUB_SUB
    }

    /** Notified of every up/down transition of a link. */
    @FunctionalInterface
    public interface Listener {
        void onLinkChange(Link link, boolean up);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RedisHealth.class);

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Guarded by this: current state of each link. */
    private boolean commandsUp;

    private boolean pubSubUp;
    private volatile boolean shuttingDown;
    /** Guarded by this: why Redis refused the last connect attempt (credentials, ACL, TLS), or null. */
    private String refusal;

    /** True when both connections are established. */
    public synchronized boolean isUp() {
        return commandsUp && pubSubUp;
    }

    public synchronized boolean isUp(Link link) {
        return link == Link.COMMANDS ? commandsUp : pubSubUp;
    }

    /** A short human description, e.g. for health details: {@code commands=up, pubsub=down}. */
    public synchronized String describe() {
        return "commands=" + (commandsUp ? "up" : "down") + ", pubsub=" + (pubSubUp ? "up" : "down")
                + (refusal == null ? "" : ", refused: " + refusal);
    }

    /**
     * Records that Redis refused a connect attempt for a reason retrying cannot fix (wrong
     * credentials, ACL, TLS certificate); shown by {@link #describe()} until a link comes up.
     */
    public synchronized void refused(String reason) {
        refusal = reason;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Records a transition; a no-op when the link already is in that state. */
    public void update(Link link, boolean up) {
        synchronized (this) {
            boolean was = isUp(link);
            if (was == up) {
                return;
            }
            if (up) {
                refusal = null;
            }
            if (link == Link.COMMANDS) {
                commandsUp = up;
            } else {
                pubSubUp = up;
            }
        }
        if (up) {
            LOG.info("Redis {} connection up", link);
        } else if (shuttingDown) {
            LOG.info("Redis {} connection closed (shutting down)", link);
        } else {
            LOG.warn("Redis {} connection down", link);
        }
        for (Listener listener : listeners) {
            try {
                listener.onLinkChange(link, up);
            } catch (RuntimeException e) {
                LOG.error("Redis health listener failed", e);
            }
        }
    }

    /** From here on a link going down is the gateway closing it, not a fault. */
    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        shuttingDown = true;
    }
}
