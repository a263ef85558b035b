package io.stepcast.gateway.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Encodes {@link ServerFrame}s to compact UTF-8 JSON, members in a fixed order ({@code type} first).
 *
 * <p>Embedded JSON ({@code snapshot.state}, {@code command_result.data}) is spliced byte for byte,
 * never parsed or re-serialized; strings are escaped with Jackson's encoder. Stateless and
 * thread-safe.
 */
public final class ServerFrameEncoder {

    private ServerFrameEncoder() {}

    /** The frame's JSON bytes. */
    public static byte[] encode(ServerFrame frame) {
        Json j = new Json(frame instanceof ServerFrame.Snapshot s ? s.stateJson().length + 64 : 128);
        if (frame instanceof ServerFrame.Connected c) {
            j.type("connected")
                    .str("session_id", c.sessionId())
                    .str("protocol", c.protocol())
                    .num("heartbeat_ms", c.heartbeatMs());
        } else if (frame instanceof ServerFrame.Subscribed s) {
            j.type("subscribed")
                    .str("plan_id", s.planId())
                    .str("epoch", s.epoch())
                    .num("seq", s.seq())
                    .bool("recovered", s.recovered());
        } else if (frame instanceof ServerFrame.Snapshot s) {
            j.type("snapshot").str("plan_id", s.planId()).raw("state", s.stateJson());
        } else if (frame instanceof ServerFrame.Skip s) {
            j.type("skip").str("plan_id", s.planId()).str("epoch", s.epoch()).num("through", s.through());
        } else if (frame instanceof ServerFrame.Unsubscribed u) {
            j.type("unsubscribed").str("plan_id", u.planId());
        } else if (frame instanceof ServerFrame.Refreshed r) {
            j.type("refreshed");
            if (r.id() != null) {
                j.id("id", r.id());
            }
            j.num("expires_at_ms", r.expiresAtMs());
        } else if (frame instanceof ServerFrame.Pong p) {
            j.type("pong");
            if (p.id() != null) {
                j.id("id", p.id());
            }
        } else if (frame instanceof ServerFrame.CommandResult r) {
            j.type("command_result").id("id", r.id()).bool("ok", r.ok());
            if (r.ok()) {
                j.raw("data", r.dataJson() == null ? Json.NULL : r.dataJson());
            } else {
                j.error(r.errorCode(), r.errorMessage());
            }
        } else if (frame instanceof ServerFrame.Error e) {
            j.type("error").str("code", e.code().wireName()).str("message", e.message());
            if (e.ref() != null) {
                j.id("ref", e.ref());
            }
        } else if (frame instanceof ServerFrame.Plans p) {
            j.type("plans").str("epoch", p.epoch()).num("seq", p.seq()).bool("recovered", p.recovered());
            j.list("plans", p.summaries()).str("next_cursor", p.nextCursor());
        } else if (frame instanceof ServerFrame.PlanWatchers w) {
            j.type("plan_watchers").counts("watchers", w.watchers());
        } else if (frame instanceof ServerFrame.PlansUnwatched) {
            j.type("plans_unwatched");
        } else if (frame instanceof ServerFrame.Reconnect r) {
            j.type("reconnect").str("reason", r.reason()).num("after_ms", r.afterMs());
        } else {
            throw new IllegalArgumentException("unknown frame " + frame);
        }
        return j.end();
    }

    /** Minimal JSON object writer: one object, members appended in call order. */
    private static final class Json {
        private final ByteArrayOutputStream out;
        private boolean first = true;

        Json(int capacity) {
            out = new ByteArrayOutputStream(capacity);
            out.write('{');
        }

        private Json name(String name) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.write('"');
            out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
            out.write('"');
            out.write(':');
            return this;
        }

        Json type(String type) {
            return str("type", type);
        }

        Json str(String name, String value) {
            name(name);
            if (value == null) {
                out.writeBytes(NULL);
            } else {
                out.write('"');
                out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(value));
                out.write('"');
            }
            return this;
        }

        Json num(String name, long value) {
            name(name);
            out.writeBytes(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Json bool(String name, boolean value) {
            name(name);
            out.writeBytes(value ? TRUE : FALSE);
            return this;
        }

        Json id(String name, RequestId id) {
            name(name);
            out.writeBytes(id == null ? NULL : id.json().getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Json error(String code, String message) {
            name("error");
            Json inner = new Json(64);
            inner.str("code", code).str("message", message);
            out.writeBytes(inner.end());
            return this;
        }

        /** A JSON array of values spliced byte for byte. */
        Json list(String name, List<byte[]> values) {
            name(name);
            out.write('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.writeBytes(values.get(i));
            }
            out.write(']');
            return this;
        }

        /** A JSON object of counts by key (keys escaped). */
        Json counts(String name, Map<String, Long> counts) {
            name(name);
            out.write('{');
            boolean next = false;
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                if (next) {
                    out.write(',');
                }
                next = true;
                out.write('"');
                out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(e.getKey()));
                out.write('"');
                out.write(':');
                out.writeBytes(Long.toString(e.getValue()).getBytes(StandardCharsets.US_ASCII));
            }
            out.write('}');
            return this;
        }

        Json raw(String name, byte[] json) {
            name(name);
            out.writeBytes(json);
            return this;
        }

        byte[] end() {
            out.write('}');
            return out.toByteArray();
        }

        private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    }
}
