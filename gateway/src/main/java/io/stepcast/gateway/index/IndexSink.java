package io.stepcast.gateway.index;

import io.stepcast.gateway.protocol.ServerFrame;

/**
 * Where one watch's frames go (a WebSocket connection, an SSE stream). Calls for one watch never
 * overlap and come in order, from Redis I/O threads; implementations only queue (never block).
 */
public interface IndexSink {

    /** The start of the watch (a first page, or {@code recovered} before the missed changes). */
    void plans(ServerFrame.Plans frame);

    /**
     * One change the watch may see, as {@code frame} (the change's frame, an update's summary with
     * {@code "watchers":n}); false when the sink is closed (or closed as a slow consumer).
     */
    boolean change(IndexChange change, byte[] frame);

    /** Changed watcher counts of plans the watch shows (latest values, not part of the index log). */
    void watchers(ServerFrame.PlanWatchers frame);

    /** The watch could not start (Redis unavailable); it is over, the client may watch again later. */
    void unavailable(String message);
}
