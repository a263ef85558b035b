package io.stepcast.gateway.http;

import io.micronaut.http.MutableHttpResponse;

/**
 * The outcome of checking a request parameter: the value, or the typed error response that
 * answers the request instead.
 */
sealed interface Parsed<T> {

    record Ok<T>(T value) implements Parsed<T> {}

    record Invalid<T>(MutableHttpResponse<byte[]> response) implements Parsed<T> {}

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Parsed<T> invalid(MutableHttpResponse<byte[]> response) {
        return new Invalid<>(response);
    }
}
