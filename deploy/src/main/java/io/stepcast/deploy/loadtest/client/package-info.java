/**
 * The client side of the benchmark: fleets of WebSocket connections per wire (Stepcast, raw, Socket.IO),
 * each judged by seq for gaps and duplicates, and their statistics.
 */
package io.stepcast.deploy.loadtest.client;
