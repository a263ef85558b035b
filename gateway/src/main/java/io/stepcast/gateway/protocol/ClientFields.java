package io.stepcast.gateway.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A client message's field values as read, before type-specific validation ({@link ClientFrameRules});
 * {@code problem} keeps the first field that had the wrong shape. One per message, confined to the
 * decoding thread.
 */
final class ClientFields {
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

    /** Reads the value of field {@code name}, the parser on its first token. */
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
        Long since = exactLong(p);
        if (since != null) {
            return since; // its range is the cursor's to judge
        }
        problem(Cursor.SINCE_RULE);
        p.skipChildren();
        return null;
    }

    private Long integer(String name, JsonParser p) throws IOException {
        Long value = exactLong(p);
        if (value != null) {
            return value;
        }
        problem(name + " must be an integer");
        p.skipChildren();
        return null;
    }

    /** The current token as a long when it is a JSON integer that fits one, else null. */
    private static Long exactLong(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                ? p.getLongValue()
                : null;
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
}
