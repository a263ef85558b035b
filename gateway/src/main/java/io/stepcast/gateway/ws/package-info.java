/**
 * The WebSocket transport: the thin endpoint, the sessions' protocol handling, one {@code WsConnection}
 * per socket with its bounded outbox, heartbeat wheel, inbound guard and rate limit, direct-message
 * routing to sessions, WebSocket metrics, and the graceful drain on shutdown; configured by
 * {@code stepcast.ws} and {@code stepcast.ws.rate-limit}. Callbacks run on the connection's event
 * loop and never block.
 */
package io.stepcast.gateway.ws;
