/**
 * The gateway-wide budget of pending output: what every WebSocket connection and SSE stream has
 * queued for its client (the gateway's own queues plus Netty's outbound buffer), summed on a timer
 * and bounded by {@code stepcast.output-budget}; past the bound the furthest-behind clients are shed
 * as slow consumers so that overload costs some clients a reconnect instead of costing the instance
 * its heap. Transports take part through {@link io.stepcast.gateway.budget.PendingOutputs}.
 */
package io.stepcast.gateway.budget;
