/**
 * Operating an instance: the SIGTERM shutdown that drains WebSocket clients before the context stops,
 * and the readiness indicator (down while draining or while Redis is down).
 */
package io.stepcast.gateway.ops;
