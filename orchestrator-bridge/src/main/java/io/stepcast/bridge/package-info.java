/**
 * The orchestrator bridge: a plain Java library (Lettuce and Jackson, no Micronaut) with which
 * orchestrators publish plan events into Redis. {@code RedisLayout} is the one source of Redis names and
 * identifier patterns; {@code EventPublisher} the publishing seam; {@code EventFrames} reads and writes
 * the event frame of PROTOCOL.md section 2.
 */
package io.stepcast.bridge;
