package io.stepcast.gateway.auth;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The JSON body of a 401 or 403 answer of the HTTP API, shaped like the WebSocket {@code error} frame:
 * {@code {"type":"error","code":"unauthorized","message":"token expired"}}.
 *
 * @param type    always {@code error}
 * @param code    {@code unauthorized} (401) or {@code forbidden} (403)
 * @param message a fixed, human-readable explanation (never token content)
 */
@Serdeable
public record AuthErrorBody(String type, String code, String message) {

    public static AuthErrorBody unauthorized(String message) {
        return new AuthErrorBody("error", "unauthorized", message);
    }

    public static AuthErrorBody forbidden(String message) {
        return new AuthErrorBody("error", "forbidden", message);
    }
}
