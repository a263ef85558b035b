/**
 * The Lettuce implementation of the publisher: one ordered lane per plan, the publish script (dedupe,
 * epoch, seq, capped log, snapshot fold, PUBLISH in one atomic call), retries with a bounded budget of
 * pending events, and the Redis connection.
 */
package io.stepcast.bridge.redis;
