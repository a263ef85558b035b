package io.stepcast.gateway.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.stepcast.bridge.command.CommandRecord;
import java.io.IOException;
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
    public static final Pattern COMMAND_NAME = ClientFrameRules.COMMAND_NAME;
    /** Command ids: printable ASCII without spaces (they travel in the command stream). */
    public static final Pattern COMMAND_ID = ClientFrameRules.COMMAND_ID;

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
            return ClientFrameRules.reject(
                    ErrorCode.FRAME_TOO_LARGE,
                    "message of " + message.length + " bytes exceeds the limit of " + limits.maxFrameBytes() + " bytes",
                    null);
        }
        ClientFields raw = new ClientFields();
        try (JsonParser p = json.createParser(message)) {
            JsonToken token = p.nextToken();
            if (token == null) {
                return ClientFrameRules.reject(ErrorCode.MALFORMED_JSON, "empty message", null);
            }
            if (token != JsonToken.START_OBJECT) {
                p.skipChildren();
                requireEnd(p);
                return ClientFrameRules.reject(ErrorCode.BAD_REQUEST, "a message must be a JSON object", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                raw.read(name, p, message);
            }
            requireEnd(p);
        } catch (StreamConstraintsException e) {
            return ClientFrameRules.reject(
                    ErrorCode.BAD_REQUEST,
                    "message exceeds parser limits (nesting depth " + limits.maxNestingDepth() + ", string length "
                            + limits.maxFrameBytes() + ")",
                    null);
        } catch (JsonProcessingException e) {
            return ClientFrameRules.reject(
                    ErrorCode.MALFORMED_JSON, "malformed JSON: " + shorten(e.getOriginalMessage()), null);
        } catch (IOException e) {
            return ClientFrameRules.reject(ErrorCode.MALFORMED_JSON, "unreadable message", null);
        }
        return ClientFrameRules.toFrame(raw, limits);
    }

    private static void requireEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "trailing data after the JSON value");
        }
    }

    static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("");
        return line.length() <= 160 ? line : line.substring(0, 160) + "…";
    }
}
