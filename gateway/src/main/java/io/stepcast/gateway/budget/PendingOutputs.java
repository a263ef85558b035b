package io.stepcast.gateway.budget;

/**
 * The outputs of one transport that queue output for their clients, as the {@link OutputBudget}
 * sees them: one implementation per transport (WebSocket connections, SSE streams), each a bean.
 *
 * <p>Threading: every method is called on the budget's timer thread while the transport's own threads
 * keep writing; implementations must be thread-safe and must not block (no I/O, no waiting for an
 * event loop: {@link #shed} and {@link #cut} only start what they ask for).
 *
 * @param <T> the transport's handle of one output (a connection, a stream)
 */
public interface PendingOutputs<T> {

    /** The transport's name in meters ({@code ws}, {@code sse}). */
    String transport();

    /**
     * Bytes queued to all of this transport's outputs since it started, monotonic, any thread; each
     * frame counted with at least what it can add to pending output over its life (its bytes plus
     * Netty's per-entry overhead, twice). The pending output of all the transport's outputs together
     * can only have grown by the difference of two reads, so the budget can skip walking them while
     * that growth cannot bring the total near the budget. {@code -1} (the default): not counted, the
     * budget walks the outputs at every check.
     */
    default long queuedTotal() {
        return -1;
    }

    /** The open outputs, a weakly consistent live view (outputs may come and go while it is walked). */
    Iterable<T> outputs();

    /**
     * The output's pending bytes right now: what the gateway holds for it and what Netty's outbound
     * buffer holds, each frame counted as its bytes plus {@link OutputBudget#FRAME_OVERHEAD} (Netty's
     * own accounting). Exact at the moment of the read; 0 once the output has ended.
     */
    long pendingBytes(T output);

    /** True once the output is ending (shed, closed for any reason): nothing more is queued to it. */
    boolean isClosing(T output);

    /**
     * Ends the output as a slow consumer, the way its transport tells a client that it fell behind
     * (WebSocket close 4008, SSE: the stream is closed): what it holds is dropped, its client
     * reconnects and resumes from the log. Returns false when it was already ending.
     */
    boolean shed(T output);

    /** Drops the output's TCP connection now, with whatever it still holds (the budget needs the memory). */
    void cut(T output);
}
