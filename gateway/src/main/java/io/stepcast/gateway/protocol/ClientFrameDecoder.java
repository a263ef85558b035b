package io.stepcast.gateway.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.command.CommandRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decodes client messages defensively: every input, however broken, yields a {@link DecodeResult};
 * no exception escapes and nothing is partially applied.
 *
 * <p>Checks, in this order: size ({@code frame_too_large}, before any parsing), JSON well-formedness
 * including nesting depth and duplicate keys ({@code malformed_json} / {@code bad_request}), a JSON
 * object with a known {@code type} ({@code bad_request} / {@code unknown_type}), then the fields of
 * that type ({@code bad_request}, {@code invalid_plan_id}). Unknown fields are ignored, so clients may
 * send newer optional fields to older gateways.
 *
 * <p>Thread-safe and allocation-light; meant to run on the event loop (messages are bounded).
 */
public final class ClientFrameDecoder {

    /** Command names: the bridge's rule ({@link CommandRecord#COMMAND_NAME}, the same as event names). */
    public static final Pattern COMMAND_NAME = CommandRecord.COMMAND_NAME;
    /** Command ids: printable ASCII without spaces (they travel in the command stream). */
    public static final Pattern COMMAND_ID = Pattern.compile("[\\x21-\\x7e]{1," + RequestId.MAX_LENGTH + "}");

    private static final byte[] EMPTY_ARGS = {'{', '}'};
    private static final int MAX_ECHO = 64;

    private final DecoderLimits limits;
    private final JsonFactory json;

    public ClientFrameDecoder(DecoderLimits limits) {
        this.limits = limits;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxStringLength(limits.maxFrameBytes())
                        .maxNumberLength(32)
                        .maxNameLength(256)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    public DecoderLimits limits() {
        return limits;
    }

    /** Decodes one whole message (a text or binary WebSocket message, UTF-8 JSON). */
    public DecodeResult decode(byte[] message) {
        if (message.length > limits.maxFrameBytes()) {
            return reject(
                    ErrorCode.FRAME_TOO_LARGE,
                    "message of " + message.length + " bytes exceeds the limit of " + limits.maxFrameBytes() + " bytes",
                    null);
        }
        RawFields raw = new RawFields();
        try (JsonParser p = json.createParser(message)) {
            JsonToken token = p.nextToken();
            if (token == null) {
                return reject(ErrorCode.MALFORMED_JSON, "empty message", null);
            }
            if (token != JsonToken.START_OBJECT) {
                p.skipChildren();
                requireEnd(p);
                return reject(ErrorCode.BAD_REQUEST, "a message must be a JSON object", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                raw.read(name, p, message);
            }
            requireEnd(p);
        } catch (StreamConstraintsException e) {
            return reject(
                    ErrorCode.BAD_REQUEST,
                    "message exceeds parser limits (nesting depth " + limits.maxNestingDepth() + ", string length "
                            + limits.maxFrameBytes() + ")",
                    null);
        } catch (JsonProcessingException e) {
            return reject(ErrorCode.MALFORMED_JSON, "malformed JSON: " + shorten(e.getOriginalMessage()), null);
        } catch (IOException e) {
            return reject(ErrorCode.MALFORMED_JSON, "unreadable message", null);
        }
        return raw.toFrame(limits);
    }

    private static void requireEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "trailing data after the JSON value");
        }
    }

    static DecodeResult reject(ErrorCode code, String message, RequestId ref) {
        return new DecodeResult.Rejected(code, message, ref);
    }

    static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("");
        return line.length() <= 160 ? line : line.substring(0, 160) + "…";
    }

    static String echo(String s) {
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "…";
    }

    /** Field values as read, before type-specific validation; {@code problem} keeps the first one. */
    private static final class RawFields {
        String type;
        String planId;
        Long since;
        String epoch;
        RequestId id;
        String command;
        String idText;
        String token;
        byte[] args;
        String prefix;
        Long limit;
        List<String> events;
        String problem;

        void read(String name, JsonParser p, byte[] message) throws IOException {
            JsonToken t = p.currentToken();
            switch (name) {
                case "type" -> type = string(name, p);
                case "plan_id" -> planId = string(name, p);
                case "epoch" -> epoch = t == JsonToken.VALUE_NULL ? null : string(name, p);
                case "command" -> command = string(name, p);
                case "token" -> token = string(name, p);
                case "since" -> since = since(p);
                case "id" -> id = id(p);
                case "args" -> args = args(p, message);
                case "prefix" -> prefix = string(name, p);
                case "limit" -> limit = integer(name, p);
                case "events" -> events = events(p);
                default -> p.skipChildren();
            }
        }

        private String string(String name, JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            problem(name + " must be a string");
            p.skipChildren();
            return null;
        }

        private Long since(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return p.getLongValue(); // its range is the cursor's to judge
            }
            problem(Cursor.SINCE_RULE);
            p.skipChildren();
            return null;
        }

        private Long integer(String name, JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT
                    && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return p.getLongValue();
            }
            problem(name + " must be an integer");
            p.skipChildren();
            return null;
        }

        private RequestId id(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText();
                if (!s.isEmpty() && s.length() <= RequestId.MAX_LENGTH) {
                    idText = s;
                    return RequestId.ofString(s);
                }
            } else if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                idText = Long.toString(p.getLongValue());
                return RequestId.ofInteger(p.getLongValue());
            }
            problem("id must be a string of 1.." + RequestId.MAX_LENGTH + " characters or an integer");
            p.skipChildren();
            return null;
        }

        /** The {@code events} array as strings; a non-string entry becomes null (judged by the filter). */
        private List<String> events(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                problem("events must be an array of event names or prefixes ending in *");
                p.skipChildren();
                return null;
            }
            List<String> entries = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (entries.size() > EventFilter.MAX_ENTRIES) {
                    p.skipChildren();
                    continue; // too many either way: keep the list bounded
                }
                entries.add(p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null);
                p.skipChildren();
            }
            return entries;
        }

        private byte[] args(JsonParser p, byte[] message) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                problem("args must be a JSON object");
                p.skipChildren();
                return null;
            }
            long start = p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            long end = p.currentTokenLocation().getByteOffset() + 1;
            if (start < 0 || end > message.length || end <= start) {
                problem("args could not be delimited");
                return null;
            }
            return Arrays.copyOfRange(message, (int) start, (int) end);
        }

        private void problem(String message) {
            if (problem == null) {
                problem = message;
            }
        }

        DecodeResult toFrame(DecoderLimits limits) {
            if (type == null) {
                return reject(ErrorCode.BAD_REQUEST, problem != null ? problem : "missing field type", null);
            }
            return switch (type) {
                case "subscribe" -> subscribe();
                case "unsubscribe" -> unsubscribe();
                case "ping" -> ping();
                case "command" -> command(limits);
                case "refresh" -> refresh();
                case "watch_plans" ->
                    problem != null
                            ? reject(ErrorCode.BAD_REQUEST, problem, null)
                            : WatchPlansFields.check(prefix, limit, since, epoch);
                case "unwatch_plans" -> new DecodeResult.Decoded(new ClientFrame.UnwatchPlans());
                default -> reject(ErrorCode.UNKNOWN_TYPE, "unknown type '" + echo(type) + "'", id);
            };
        }

        private DecodeResult planIdProblem(RequestId ref) {
            if (planId == null) {
                return reject(ErrorCode.BAD_REQUEST, "missing field plan_id", ref);
            }
            if (!RedisLayout.isValidPlanId(planId)) {
                return reject(ErrorCode.INVALID_PLAN_ID, "plan_id must match " + RedisLayout.PLAN_ID.pattern(), ref);
            }
            return null;
        }

        private DecodeResult subscribe() {
            DecodeResult bad = planIdProblem(null);
            if (bad != null) {
                return bad;
            }
            RequestId ref = RequestId.ofString(planId);
            if (problem != null) {
                return reject(ErrorCode.BAD_REQUEST, problem, ref);
            }
            Cursor.Parse cursor = Cursor.of(since, epoch);
            if (cursor instanceof Cursor.Invalid invalid) {
                return reject(ErrorCode.BAD_REQUEST, invalid.message(), ref);
            }
            EventFilter.Parse filter = EventFilter.of(events);
            if (filter instanceof EventFilter.Invalid invalid) {
                return reject(ErrorCode.BAD_REQUEST, invalid.message(), ref);
            }
            return new DecodeResult.Decoded(new ClientFrame.Subscribe(
                    planId, ((Cursor.Ok) cursor).cursor(), ((EventFilter.Ok) filter).filter()));
        }

        private DecodeResult unsubscribe() {
            DecodeResult bad = planIdProblem(null);
            if (bad != null) {
                return bad;
            }
            return new DecodeResult.Decoded(new ClientFrame.Unsubscribe(planId));
        }

        private DecodeResult ping() {
            if (problem != null) {
                return reject(ErrorCode.BAD_REQUEST, problem, null);
            }
            return new DecodeResult.Decoded(new ClientFrame.Ping(id));
        }

        private DecodeResult refresh() {
            if (problem != null) {
                return reject(ErrorCode.BAD_REQUEST, problem, id);
            }
            if (token == null || token.isBlank()) {
                return reject(ErrorCode.BAD_REQUEST, "missing field token", id);
            }
            return new DecodeResult.Decoded(new ClientFrame.Refresh(token, id));
        }

        private DecodeResult command(DecoderLimits limits) {
            if (id == null) {
                return reject(ErrorCode.BAD_REQUEST, problem != null ? problem : "missing field id", null);
            }
            DecodeResult bad = planIdProblem(id);
            if (bad != null) {
                return bad;
            }
            if (problem != null) {
                return reject(ErrorCode.BAD_REQUEST, problem, id);
            }
            if (!COMMAND_ID.matcher(idText).matches()) {
                return reject(ErrorCode.BAD_REQUEST, "a command id must be printable ASCII without spaces", id);
            }
            if (command == null) {
                return reject(ErrorCode.BAD_REQUEST, "missing field command", id);
            }
            if (!COMMAND_NAME.matcher(command).matches()) {
                return reject(ErrorCode.BAD_REQUEST, "command must match " + COMMAND_NAME.pattern(), id);
            }
            byte[] a = args == null ? EMPTY_ARGS : args;
            if (a.length > limits.maxArgsBytes()) {
                return reject(
                        ErrorCode.FRAME_TOO_LARGE,
                        "args of " + a.length + " bytes exceed the limit of " + limits.maxArgsBytes() + " bytes",
                        id);
            }
            return new DecodeResult.Decoded(new ClientFrame.Command(id, idText, planId, command, a));
        }
    }
}
