/**
 * Presence: how many clients watch each plan, and how many connections are open, over every gateway
 * of the deployment. Each gateway counts its own ({@link io.stepcast.gateway.presence.LocalCounts}) and
 * keeps its share in Redis with one script per heartbeat ({@link io.stepcast.gateway.presence.LettucePresence});
 * readers see the sums ({@link io.stepcast.gateway.presence.Presence}).
 */
package io.stepcast.gateway.presence;
