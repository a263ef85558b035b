package io.stepcast.gateway.protocol;

/**
 * A message from a client to the gateway (PROTOCOL.md §4). Decoded by {@link ClientFrameDecoder},
 * which guarantees every field below is present and valid unless documented as nullable.
 *
 * <p>New types are added as new records here plus one case in the decoder; a client frame with a type
 * the gateway does not know is answered with {@code error unknown_type}.
 */
public sealed interface ClientFrame {

    /** The wire {@code type} of this frame. */
    String type();

    /**
     * Watch a plan. Without a cursor: snapshot then live events. With one ({@code since} and the
     * {@code epoch} the client last saw): replay of the missed events when possible, else a snapshot.
     *
     * @param planId a valid plan id
     * @param cursor where the client resumes, or null
     * @param filter the events the client wants, or null for every event
     */
    record Subscribe(String planId, Cursor cursor, EventFilter filter) implements ClientFrame {
        @Override
        public String type() {
            return "subscribe";
        }
    }

    /** Stop watching a plan. */
    record Unsubscribe(String planId) implements ClientFrame {
        @Override
        public String type() {
            return "unsubscribe";
        }
    }

    /** Application-level ping (for browsers, which cannot send WebSocket pings); id may be null. */
    record Ping(RequestId id) implements ClientFrame {
        @Override
        public String type() {
            return "ping";
        }
    }

    /**
     * Replace the session's client token before it expires (PROTOCOL.md §6). The new token must be
     * valid and carry the same {@code sub}; its {@code plans} and {@code cmd} apply from then on.
     *
     * @param token the new token (never logged or echoed)
     * @param id    client-chosen id echoed in {@code refreshed} or the {@code error}, or null
     */
    record Refresh(String token, RequestId id) implements ClientFrame {
        @Override
        public String type() {
            return "refresh";
        }

        @Override
        public String toString() {
            return "Refresh[token=<" + (token == null ? 0 : token.length()) + " chars>, id=" + id + "]";
        }
    }

    /**
     * A command for the plan's orchestrator.
     *
     * @param id       client-chosen id, echoed in {@code command_result}
     * @param idText   the id as plain text (printable ASCII, no spaces), as stored in the command stream
     * @param planId   a valid plan id
     * @param command  command name, {@code [a-z][a-z0-9_.:-]{0,63}}
     * @param argsJson the {@code args} JSON object, byte for byte as the client sent it ({@code {}}
     *                 when absent); never re-serialized
     */
    record Command(RequestId id, String idText, String planId, String command, byte[] argsJson) implements ClientFrame {
        @Override
        public String type() {
            return "command";
        }
    }

    /**
     * Watch the plan index under a prefix (PROTOCOL.md §4.8): a first page of summaries (or, with a
     * cursor the index log still continues, the missed changes), then live {@code plan_update} and
     * {@code plan_removed} frames of the plans that match the prefix and that the token grants. One
     * watch per connection; a second {@code watch_plans} replaces the first.
     *
     * @param prefix plan id prefix, {@code ""} = every plan
     * @param limit  size of the first page, 1..{@value #MAX_WATCH_LIMIT}
     * @param cursor the index position ({@code since} and {@code epoch} of the index) to resume after, or null
     */
    record WatchPlans(String prefix, int limit, Cursor cursor) implements ClientFrame {
        /** The largest first page. */
        public static final int MAX_WATCH_LIMIT = 500;
        /** The page size when {@code limit} is absent. */
        public static final int DEFAULT_WATCH_LIMIT = 50;

        @Override
        public String type() {
            return "watch_plans";
        }
    }

    /** Stop watching the plan index; answered with {@code plans_unwatched}. */
    record UnwatchPlans() implements ClientFrame {
        @Override
        public String type() {
            return "unwatch_plans";
        }
    }
}
