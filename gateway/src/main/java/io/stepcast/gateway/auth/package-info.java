/**
 * Client authentication and authorization: the {@code stepcast.auth} configuration, client tokens (HS256
 * or JWKS) read from the subprotocol, query or header, the principal and its plan access, the per-plan
 * HTTP security rule and the typed 401/403 bodies. Publisher keys ({@code publisher}) and the web edge
 * (origins, CORS, handshake timeout: {@code web}) build on it.
 */
package io.stepcast.gateway.auth;
