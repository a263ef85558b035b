/**
 * The HTTP transports: poll (the cached snapshot with an ETag), long-poll and SSE (one-shot or
 * streaming subscribers of the hub, resuming with the same cursor as the WebSocket), ingest, and the
 * info endpoint; their configuration records, typed JSON errors and metrics. No request holds a
 * thread while it waits.
 */
package io.stepcast.gateway.http;
