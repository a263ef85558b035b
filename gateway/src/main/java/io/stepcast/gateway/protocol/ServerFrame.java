package io.stepcast.gateway.protocol;

import java.util.List;
import java.util.Map;

/**
 * A message from the gateway to a client (PROTOCOL.md §4), encoded by {@link ServerFrameEncoder}.
 *
 * <p>Event frames are not in this family on purpose: they are forwarded as the exact bytes the
 * publish script produced (see {@code SharedFrame}), never decoded or re-encoded. Likewise
 * {@code command_result} frames produced by an orchestrator arrive as bytes on the session channel and
 * are forwarded verbatim; {@link CommandResult} exists for results the gateway itself produces.
 */
public sealed interface ServerFrame {

    /** Protocol name negotiated as the WebSocket subprotocol and reported in {@link Connected}. */
    String PROTOCOL = "stepcast.v1";

    /** First frame on every connection. */
    record Connected(String sessionId, String protocol, long heartbeatMs) implements ServerFrame {}

    /**
     * A subscription started.
     *
     * @param epoch     null when the plan has no events yet
     * @param seq       last seq covered by the snapshot or the replay; live events continue after it
     * @param recovered true: the missed events are replayed; false: a snapshot follows
     */
    record Subscribed(String planId, String epoch, long seq, boolean recovered) implements ServerFrame {}

    /**
     * The plan's current state.
     *
     * @param stateJson the Redis state value, spliced into the frame byte for byte
     */
    record Snapshot(String planId, byte[] stateJson) implements ServerFrame {}

    /**
     * A filtered subscription's cursor moves on: every seq up to {@code through} of {@code epoch} that
     * was not delivered was filtered out (PROTOCOL.md §4.4). The next event delivered has seq
     * {@code through + 1}.
     */
    record Skip(String planId, String epoch, long through) implements ServerFrame {}

    /** Reply to {@code unsubscribe}; no event of that plan follows it. */
    record Unsubscribed(String planId) implements ServerFrame {}

    /**
     * The session's token was replaced by a {@code refresh}.
     *
     * @param id          the refresh's id, or null
     * @param expiresAtMs the new token's {@code exp}, epoch milliseconds
     */
    record Refreshed(RequestId id, long expiresAtMs) implements ServerFrame {}

    /** Reply to {@code ping}; id is null when the ping had none. */
    record Pong(RequestId id) implements ServerFrame {}

    /**
     * Outcome of a command, in the format orchestrators publish (PROTOCOL.md, "Results and direct
     * messages").
     *
     * @param dataJson     result data (a JSON object, spliced verbatim) when ok, else null
     * @param errorCode    {@code [a-z][a-z0-9_]{0,63}} when not ok, else null
     * @param errorMessage human-readable error when not ok, else null
     */
    record CommandResult(RequestId id, boolean ok, byte[] dataJson, String errorCode, String errorMessage)
            implements ServerFrame {}

    /**
     * A rejected client message or a failed subscription.
     *
     * @param ref what the error refers to (the plan id or the request id), or null
     */
    record Error(ErrorCode code, String message, RequestId ref) implements ServerFrame {}

    /** The server asks the client to reconnect (to any instance) after {@code afterMs}. */
    record Reconnect(String reason, long afterMs) implements ServerFrame {}

    /**
     * The start of a plan index watch ({@code watch_plans}).
     *
     * @param epoch      the index's epoch (null: no index yet)
     * @param seq        the index change seq the page or replay stands at; live changes continue after it
     * @param recovered  true: no page, the missed changes follow; false: {@code summaries} is a first page
     * @param summaries  summary JSON objects, spliced byte for byte (empty when recovered)
     * @param nextCursor {@code GET /api/plans?cursor=} value of the following page, or null
     */
    record Plans(String epoch, long seq, boolean recovered, List<byte[]> summaries, String nextCursor)
            implements ServerFrame {}

    /**
     * Watcher counts of plans a plan index watch shows that changed (PROTOCOL.md §4.8): latest values,
     * no seq, not part of the index log.
     *
     * @param watchers plan id to its watchers over all live gateways, in no particular order
     */
    record PlanWatchers(Map<String, Long> watchers) implements ServerFrame {}

    /** Reply to {@code unwatch_plans}; no index change follows it. */
    record PlansUnwatched() implements ServerFrame {}
}
