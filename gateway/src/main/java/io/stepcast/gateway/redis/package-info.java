/**
 * The gateway's side of Redis: one interface per seam ({@code PlanBus} for pub/sub, {@code PlanStore} for
 * atomic reads of a plan's snapshot and log) with their Lettuce implementations, the connections'
 * lifecycle ({@code @Factory}) and health. Key and channel names come from the bridge's
 * {@code RedisLayout}. Calls never block; results complete on Lettuce I/O threads.
 */
package io.stepcast.gateway.redis;
