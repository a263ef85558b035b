package io.stepcast.bridge.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepcast.bridge.RedisLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One client command as it travels through a plan's command stream
 * ({@code <prefix>:{<plan>}:commands}, see {@link RedisLayout#commandsKey(String)}).
 *
 * <p>This record is the single definition of the stream entry: gateways write it with
 * {@link #toFields()} (or {@link CommandStream#append}), orchestrators read it with
 * {@link #fromFields(Map)}. Every field is a string:
 * <pre>
 *   id       the client's command id, echoed in command_result   (1-128 printable ASCII, no spaces)
 *   session  the gateway session id to reply to                  ({@link RedisLayout#SESSION_ID})
 *   command  the command name                                    ({@link #COMMAND_NAME})
 *   args     a JSON object, at most {@value #MAX_ARGS_BYTES} bytes ("{}" when the client sent none)
 *   sub      the subject of the client's token (absent when auth is off)
 *   ts       when the gateway accepted it, ISO-8601 UTC with milliseconds
 * </pre>
 *
 * @param id      the client's command id
 * @param session the originating session id
 * @param command the command name
 * @param args    the arguments as compact JSON object text
 * @param sub     the token subject, or {@code null}
 * @param ts      acceptance time (truncated to milliseconds)
 */
public record CommandRecord(String id, String session, String command, String args, String sub, Instant ts) {

    /** Stream field: the client's command id. */
    public static final String FIELD_ID = "id";
    /** Stream field: the originating session id. */
    public static final String FIELD_SESSION = "session";
    /** Stream field: the command name. */
    public static final String FIELD_COMMAND = "command";
    /** Stream field: the JSON object of arguments. */
    public static final String FIELD_ARGS = "args";
    /** Stream field: the token subject (optional). */
    public static final String FIELD_SUB = "sub";
    /** Stream field: acceptance timestamp. */
    public static final String FIELD_TS = "ts";

    /** Command names. */
    public static final Pattern COMMAND_NAME = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");
    /** Client command ids. */
    public static final Pattern COMMAND_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");
    /** Largest {@code args} JSON, in UTF-8 bytes (the gateway's inbound frame limit). */
    public static final int MAX_ARGS_BYTES = 64 * 1024;
    /** Longest {@code sub}. */
    public static final int MAX_SUB_LENGTH = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the field
     */
    public CommandRecord {
        require(id != null && COMMAND_ID.matcher(id).matches(), FIELD_ID, "must match " + COMMAND_ID.pattern());
        require(
                session != null && RedisLayout.SESSION_ID.matcher(session).matches(),
                FIELD_SESSION,
                "must match " + RedisLayout.SESSION_ID.pattern());
        require(
                command != null && COMMAND_NAME.matcher(command).matches(),
                FIELD_COMMAND,
                "must match " + COMMAND_NAME.pattern());
        args = canonicalArgs(args);
        require(
                sub == null || (!sub.isEmpty() && sub.length() <= MAX_SUB_LENGTH),
                FIELD_SUB,
                "must be 1-" + MAX_SUB_LENGTH + " characters when present");
        require(ts != null, FIELD_TS, "is required");
        ts = ts.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A command accepted now, with arguments given as any Jackson-serializable object ({@code null} = none). */
    public static CommandRecord of(String id, String session, String command, Object args, String sub) {
        String json = args == null ? "{}" : args instanceof String s ? s : writeJson(JSON.valueToTree(args));
        return new CommandRecord(id, session, command, json, sub, Instant.now());
    }

    /**
     * Reads a stream entry written by {@link #toFields()}.
     *
     * @throws IllegalArgumentException naming the missing or invalid field
     */
    public static CommandRecord fromFields(Map<String, String> fields) {
        Objects.requireNonNull(fields, "fields");
        String ts = fields.get(FIELD_TS);
        require(ts != null, FIELD_TS, "is required");
        Instant instant;
        try {
            instant = Instant.parse(ts);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("command field '" + FIELD_TS + "' must be ISO-8601 UTC: " + ts);
        }
        String args = fields.get(FIELD_ARGS);
        return new CommandRecord(
                fields.get(FIELD_ID),
                fields.get(FIELD_SESSION),
                fields.get(FIELD_COMMAND),
                args == null ? "{}" : args,
                fields.get(FIELD_SUB),
                instant);
    }

    /** The stream entry: field → value, in documentation order; {@code sub} only when present. */
    public Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(FIELD_ID, id);
        fields.put(FIELD_SESSION, session);
        fields.put(FIELD_COMMAND, command);
        fields.put(FIELD_ARGS, args);
        if (sub != null) {
            fields.put(FIELD_SUB, sub);
        }
        fields.put(FIELD_TS, ts.toString());
        return fields;
    }

    /** The arguments parsed (a fresh, mutable tree per call). */
    public ObjectNode argsNode() {
        try {
            return (ObjectNode) JSON.readTree(args);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("validated args no longer parse", e);
        }
    }

    private static String canonicalArgs(String args) {
        require(args != null, FIELD_ARGS, "is required");
        require(args.length() <= MAX_ARGS_BYTES, FIELD_ARGS, "must be at most " + MAX_ARGS_BYTES + " bytes");
        JsonNode node;
        try {
            node = JSON.readTree(args);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "command field '" + FIELD_ARGS + "' is not JSON: " + e.getOriginalMessage());
        }
        require(node != null && node.isObject(), FIELD_ARGS, "must be a JSON object");
        String compact = writeJson(node);
        require(
                compact.getBytes(StandardCharsets.UTF_8).length <= MAX_ARGS_BYTES,
                FIELD_ARGS,
                "must be at most " + MAX_ARGS_BYTES + " bytes");
        return compact;
    }

    private static String writeJson(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("command field '" + FIELD_ARGS + "' cannot be serialized", e);
        }
    }

    private static void require(boolean ok, String field, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("command field '" + field + "' " + rule);
        }
    }
}
