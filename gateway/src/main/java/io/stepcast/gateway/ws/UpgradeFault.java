package io.stepcast.gateway.ws;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * What can be wrong with a request to the WebSocket endpoint before Micronaut sees it (RFC 6455
 * §4.2.1), with the HTTP status and the fixed message the client gets. The messages never echo the
 * request: its headers may carry a token.
 */
enum UpgradeFault {
    /** The HTTP decoder gave up on the request head (bad syntax, a header or line too long). */
    MALFORMED(HttpResponseStatus.BAD_REQUEST, "malformed request"),
    /** The headers exceed the HTTP decoder's limit or {@link #MAX_HEAD_BYTES}. */
    HEADERS_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large"),
    METHOD(HttpResponseStatus.METHOD_NOT_ALLOWED, "a WebSocket upgrade must be a GET"),
    HTTP_VERSION(HttpResponseStatus.BAD_REQUEST, "a WebSocket upgrade needs HTTP/1.1"),
    /** No {@code Upgrade: websocket} or no {@code Connection: upgrade}: a plain HTTP request. */
    NOT_AN_UPGRADE(
            HttpResponseStatus.UPGRADE_REQUIRED,
            "this endpoint needs a WebSocket upgrade (Upgrade: websocket, Connection: Upgrade)"),
    VERSION(HttpResponseStatus.UPGRADE_REQUIRED, "Sec-WebSocket-Version must be 13"),
    KEY_MISSING(HttpResponseStatus.BAD_REQUEST, "Sec-WebSocket-Key is missing"),
    KEY_REPEATED(HttpResponseStatus.BAD_REQUEST, "Sec-WebSocket-Key appears more than once"),
    KEY_INVALID(HttpResponseStatus.BAD_REQUEST, "Sec-WebSocket-Key must be 16 bytes in base64"),
    /** Bytes (a frame) sent after the upgrade request before the server answered it. */
    EARLY_DATA(HttpResponseStatus.BAD_REQUEST, "data sent before the upgrade was answered");

    /** Largest request head (request line and headers) an upgrade may have. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    private final HttpResponseStatus status;
    private final String message;

    UpgradeFault(HttpResponseStatus status, String message) {
        this.status = status;
        this.message = message;
    }

    HttpResponseStatus status() {
        return status;
    }

    String message() {
        return message;
    }

    /** The first fault of a request to the WebSocket endpoint, or null when it is a valid upgrade. */
    static UpgradeFault of(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return request.decoderResult().cause() instanceof TooLongHttpHeaderException
                    ? HEADERS_TOO_LARGE
                    : MALFORMED;
        }
        HttpHeaders headers = request.headers();
        if (headBytes(request) > MAX_HEAD_BYTES) {
            return HEADERS_TOO_LARGE;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            return METHOD;
        }
        if (!HttpVersion.HTTP_1_1.equals(request.protocolVersion())) {
            return HTTP_VERSION;
        }
        if (!hasToken(headers.getAll(HttpHeaderNames.UPGRADE), "websocket")
                || !hasToken(headers.getAll(HttpHeaderNames.CONNECTION), "upgrade")) {
            return NOT_AN_UPGRADE;
        }
        List<String> versions = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (versions.size() != 1 || !"13".equals(versions.get(0).trim())) {
            return VERSION;
        }
        List<String> keys = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (keys.isEmpty()) {
            return KEY_MISSING;
        }
        if (keys.size() > 1) {
            return KEY_REPEATED;
        }
        return isNonce(keys.get(0).trim()) ? null : KEY_INVALID;
    }

    /** True for the path of the WebSocket endpoint (query ignored, one trailing slash tolerated). */
    static boolean isEndpoint(String uri, String path) {
        int q = uri.indexOf('?');
        String p = q < 0 ? uri : uri.substring(0, q);
        return p.equals(path) || (p.length() == path.length() + 1 && p.startsWith(path) && p.endsWith("/"));
    }

    private static long headBytes(HttpRequest request) {
        long n = request.method().name().length() + request.uri().length() + 12;
        for (var e : request.headers()) {
            n += e.getKey().length() + e.getValue().length() + 4;
        }
        return n;
    }

    private static boolean hasToken(List<String> values, String token) {
        for (String v : values) {
            for (String t : v.split(",")) {
                if (t.trim().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isNonce(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
