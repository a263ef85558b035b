package io.stepcast.gateway.protocol;

import java.util.Locale;

/**
 * The {@code code} of an {@code error} frame. Every rejected client message is answered with exactly
 * one error frame; unless the table in PROTOCOL.md §4 says otherwise, the connection stays open and
 * usable afterwards.
 *
 * <p>The wire name is the lower-case enum name ({@link #wireName()}); codes are never renamed once
 * published, only added.
 */
public enum ErrorCode {
    /** A well-formed JSON message that breaks the protocol: missing or mistyped field, bad value. */
    BAD_REQUEST,
    /** The frame is not valid JSON (or not UTF-8). */
    MALFORMED_JSON,
    /** The {@code type} field names no known client frame. */
    UNKNOWN_TYPE,
    /** The plan id does not match {@code [A-Za-z0-9][A-Za-z0-9._:-]{0,127}}. */
    INVALID_PLAN_ID,
    /** The frame exceeds the inbound frame limit (it was discarded unread). */
    FRAME_TOO_LARGE,
    /** Subscribing would exceed the per-connection subscription limit. */
    TOO_MANY_SUBSCRIPTIONS,
    /** The client sends faster than its rate limit; the message was dropped. */
    RATE_LIMITED,
    /** Unsubscribe from a plan the connection is not subscribed to. */
    NOT_SUBSCRIBED,
    /** The credentials do not grant this plan or command. */
    FORBIDDEN,
    /** No valid credentials. */
    UNAUTHORIZED,
    /** A dependency (Redis) is unavailable; the request may be retried. */
    UNAVAILABLE,
    /** An unexpected server fault; it is logged with the session id. */
    INTERNAL,
    /** HTTP API only: the plan has no events (unknown or expired); HTTP 404. */
    NOT_FOUND,
    /** HTTP ingest only: an event is invalid; {@code field} names the offending field; HTTP 400. */
    INVALID_EVENT,
    /** HTTP ingest only: the request body exceeds {@code stepcast.ingest.max-body-bytes}; HTTP 413. */
    PAYLOAD_TOO_LARGE,
    /** HTTP API only: the resource exists but not with this method; HTTP 405. */
    METHOD_NOT_ALLOWED,
    /** HTTP API only: the request's {@code Content-Type} is not one the resource reads; HTTP 415. */
    UNSUPPORTED_MEDIA_TYPE;

    /** The code as it appears on the wire, e.g. {@code rate_limited}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
