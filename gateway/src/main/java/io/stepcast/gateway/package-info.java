/**
 * The Stepcast gateway: a stateless Micronaut instance that terminates client connections (WebSocket,
 * SSE, long-poll, poll) and fans each plan's Redis channel out to its local subscribers. Packages form a
 * staircase, each importing only those below it: {@code protocol}, {@code redis}, {@code auth} at the
 * bottom; {@code hub} and {@code publisher}, {@code web} above them; the transports {@code ws} and
 * {@code http} above the hub; {@code ops} (shutdown, readiness) on top; {@code Application} is the entry
 * point. PROTOCOL.md is the contract they implement.
 */
package io.stepcast.gateway;
