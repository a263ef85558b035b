package io.stepcast.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.stepcast.gateway.protocol.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Typed JSON error responses of the HTTP API, the same shape as the WebSocket {@code error} frame:
 * {@code {"type":"error","code":"not_found","message":"...","field":"since"}}. The {@code code} is
 * an {@link ErrorCode} wire name; {@code field} names the offending query parameter, header or event
 * field when there is one.
 */
public final class ApiErrors {

    private static final JsonFactory JSON = new JsonFactory();

    private ApiErrors() {}

    /** An error response with a JSON body. */
    public static MutableHttpResponse<byte[]> of(HttpStatus status, ErrorCode code, String message) {
        return of(status, code, null, null, message);
    }

    /** An error response naming the offending field (and, in a batch, the event's index). */
    public static MutableHttpResponse<byte[]> of(
            HttpStatus status, ErrorCode code, String field, Integer index, String message) {
        return HttpResponse.<byte[]>status(status)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-cache")
                .body(body(code, field, index, message));
    }

    /** 400 {@code bad_request} naming a query parameter or header. */
    public static MutableHttpResponse<byte[]> badRequest(String field, String message) {
        return of(HttpStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, field, null, message);
    }

    /** 400 {@code invalid_plan_id}. */
    public static MutableHttpResponse<byte[]> invalidPlanId() {
        return of(
                HttpStatus.BAD_REQUEST,
                ErrorCode.INVALID_PLAN_ID,
                "plan_id",
                null,
                "plan id must match [A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    }

    /** 503 {@code unavailable} with a {@code Retry-After} hint in seconds. */
    public static MutableHttpResponse<byte[]> unavailable(String message, int retryAfterSeconds) {
        return of(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE, message)
                .header("Retry-After", Integer.toString(retryAfterSeconds));
    }

    /** The JSON body of an error. */
    public static byte[] body(ErrorCode code, String field, Integer index, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "error");
            g.writeStringField("code", code.wireName());
            g.writeStringField("message", message);
            if (field != null) {
                g.writeStringField("field", field);
            }
            if (index != null) {
                g.writeNumberField("index", index);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
