/**
 * The HTTP edge in front of every endpoint: the Origin check of WebSocket upgrades (cross-site WebSocket
 * hijacking), CORS for the HTTP API, and the timeout of a connection that never completes its
 * handshake. Stateless Netty and Micronaut hooks configured from {@code stepcast.auth} and
 * {@code stepcast.handshake}.
 */
package io.stepcast.gateway.web;
