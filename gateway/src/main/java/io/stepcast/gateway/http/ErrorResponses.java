package io.stepcast.gateway.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.stepcast.gateway.protocol.ErrorCode;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;

/**
 * Every error body Micronaut itself produces (no route: 404, wrong method: 405, unbindable or
 * unconvertible argument: 400, body over the server's limit: 413, unsupported media type: 415, an
 * unhandled fault: 500) in Stepcast's JSON error shape ({@link ApiErrors}), replacing Micronaut's
 * default bodies.
 *
 * <p>Those defaults echo the request URI in {@code _links.self.href} (and so a {@code ?token=}) and
 * carry exception messages that name internal classes (Jackson's {@code StreamReadConstraints}, bean
 * types, conversion targets). This processor never echoes the URI, headers, argument values or
 * exception messages: the message is fixed per status, and {@code field} names the offending request
 * argument only when its name is a plain identifier. Stateless and thread-safe.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public final class ErrorResponses implements ErrorResponseProcessor<byte[]> {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    @Override
    public MutableHttpResponse<byte[]> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        String field = context.getErrors().stream()
                .map(e -> e.getPath().orElse(null))
                .filter(p -> p != null && PLAIN_NAME.matcher(p).matches())
                .findFirst()
                .orElse(null);
        byte[] body = ApiErrors.body(
                code(status), status == HttpStatus.BAD_REQUEST.getCode() ? field : null, null, message(status));
        return response.contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-cache")
                .body(body);
    }

    /** The Stepcast error code of an HTTP status. */
    static ErrorCode code(int status) {
        return switch (status) {
            case 400 -> ErrorCode.BAD_REQUEST;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST;
        };
    }

    /** A fixed message per status: nothing of the request or of the fault is echoed. */
    static String message(int status) {
        return switch (status) {
            case 400 -> "malformed request";
            case 401 -> "missing or invalid token";
            case 403 -> "forbidden";
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "no acceptable representation";
            case 413 -> "request body too large";
            case 415 -> "unsupported content type";
            case 503 -> "temporarily unavailable";
            default -> status >= 500 ? "internal error (logged)" : "request rejected";
        };
    }
}
