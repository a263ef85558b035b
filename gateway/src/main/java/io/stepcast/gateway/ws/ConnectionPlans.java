package io.stepcast.gateway.ws;

import io.stepcast.gateway.hub.FilteredDelivery;
import io.stepcast.gateway.hub.HubFailure;
import io.stepcast.gateway.hub.SharedFrame;
import io.stepcast.gateway.hub.SubscribeResult;
import io.stepcast.gateway.hub.Subscriber;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.EventFilter;
import io.stepcast.gateway.protocol.RequestId;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.redis.PlanSnapshot;
import java.util.Arrays;
import java.util.List;

/**
 * One connection's plan subscriptions as the hub sees them: which plans it is subscribed to, their
 * event filters, and the frames the hub's callbacks become ({@code subscribed}, {@code snapshot},
 * events, {@code skip}, the {@code unavailable} error of a failed start). This object is the
 * connection's {@link Subscriber}: the hub keys it by identity, so a connection has exactly one
 * ({@link WsConnection#plans()}), created with it.
 *
 * <p>Frames go out through the connection's outbound path ({@link PacedOutput}), so the hub's order
 * per plan is kept and the slow-consumer bound applies; replay pacing ({@link #ready()},
 * {@link #whenReady}) is the connection's.
 *
 * <p>Threading: hub callbacks arrive on Redis I/O threads (one plan's never overlap); the set of
 * plans and the filters change on the event loop (subscribe, unsubscribe, token refresh) and by hub
 * callbacks (a failed or dropped subscription). Both are copy-on-write arrays, changes serialized by
 * this object's monitor; reads take no lock and see the latest array. Invariant: a plan's filter is
 * set before the hub starts its subscription and cleared when the plan is removed.
 *
 * <p>Memory: there is one per connection, so the plan ids are an array (a connection has a handful
 * at most, {@code stepcast.ws.max-subscriptions}): a few bytes where a concurrent set costs about
 * 200.
 */
final class ConnectionPlans implements Subscriber, FilteredDelivery.Sink {

    private static final String[] NONE = new String[0];

    private final WsConnection connection;
    /** The subscribed plan ids: no duplicates, never modified in place. */
    private volatile String[] ids = NONE;
    /** The filtered subscriptions; null until the first {@code subscribe} with {@code events}. */
    private volatile PlanFilters filters;

    ConnectionPlans(WsConnection connection) {
        this.connection = connection;
    }

    // ---- the set of plans (event loop; removals also from hub callbacks) ----

    boolean contains(String planId) {
        return indexOf(ids, planId) >= 0;
    }

    int size() {
        return ids.length;
    }

    /** Adds the plan id unless present. */
    synchronized void add(String planId) {
        String[] current = ids;
        if (indexOf(current, planId) < 0) {
            String[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = planId;
            ids = next;
        }
    }

    /** Removes the plan and its filter; false when it was not subscribed. */
    boolean remove(String planId) {
        filter(planId, null);
        return removeId(planId);
    }

    private synchronized boolean removeId(String planId) {
        String[] current = ids;
        int i = indexOf(current, planId);
        if (i < 0) {
            return false;
        }
        String[] next = current.length == 1 ? NONE : new String[current.length - 1];
        System.arraycopy(current, 0, next, 0, i);
        System.arraycopy(current, i + 1, next, i, current.length - i - 1);
        ids = next;
        return true;
    }

    /** An immutable copy of the subscribed plan ids. */
    List<String> toList() {
        return List.of(ids);
    }

    private static int indexOf(String[] ids, String planId) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(planId)) {
                return i;
            }
        }
        return -1;
    }

    /** Sets the plan's event filter (null: every event); before the hub starts its subscription. */
    void filter(String planId, EventFilter filter) {
        PlanFilters f = filters;
        if (f == null) {
            if (filter == null) {
                return;
            }
            synchronized (this) {
                f = filters;
                if (f == null) {
                    f = new PlanFilters(this);
                    filters = f;
                }
            }
        }
        f.set(planId, filter);
    }

    /** The plan's filtered delivery, or null (the common case: no filter on this connection). */
    private FilteredDelivery filtered(String planId) {
        PlanFilters f = filters;
        return f == null ? null : f.get(planId);
    }

    /**
     * Heartbeat: sends the pending skip of every filtered plan.
     *
     * @return false when a skip was refused (the connection is closing as a slow consumer)
     */
    boolean flushIdle() {
        PlanFilters f = filters;
        return f == null || f.flushIdle();
    }

    // ---- Subscriber (Redis I/O threads) ----

    @Override
    public String id() {
        return connection.sessionId();
    }

    @Override
    public void onSubscribed(SubscribeResult result) {
        ServerFrame.Subscribed frame =
                new ServerFrame.Subscribed(result.planId(), result.epoch(), result.seq(), result.recovered());
        FilteredDelivery f = filtered(result.planId());
        if (f == null) {
            connection.send(frame);
        } else {
            f.restart(() -> connection.send(frame));
        }
    }

    @Override
    public void onSnapshot(String planId, PlanSnapshot snapshot) {
        connection.send(new ServerFrame.Snapshot(planId, snapshot.state()));
    }

    @Override
    public boolean onEvent(SharedFrame frame) {
        FilteredDelivery f = filtered(frame.planId());
        return f == null ? connection.writeEvent(frame) : f.offer(frame, this);
    }

    @Override
    public void onFailed(String planId, HubFailure failure) {
        remove(planId);
        String message = failure == HubFailure.OVERFLOW
                ? "the subscription fell behind while starting; subscribe again"
                : "the event store is unavailable; subscribe again later";
        connection.sendError(ErrorCode.UNAVAILABLE, message, RequestId.ofString(planId));
    }

    @Override
    public void onDropped(String planId) {
        remove(planId);
    }

    @Override
    public boolean ready() {
        return connection.ready();
    }

    @Override
    public void whenReady(Runnable resume) {
        connection.whenReady(resume);
    }

    // ---- FilteredDelivery.Sink: the writer of filtered subscriptions ----

    @Override
    public boolean skip(String planId, String epoch, long through) {
        return connection.send(new ServerFrame.Skip(planId, epoch, through));
    }

    @Override
    public boolean event(SharedFrame frame) {
        return connection.writeEvent(frame);
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
