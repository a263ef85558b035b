/**
 * The live plan index: one subscription per gateway to the index's change channel ({@link
 * io.stepcast.gateway.index.IndexFeed}), repaired from the index log like a plan's, fanned out to
 * watches ({@link io.stepcast.gateway.index.IndexWatch}: a WebSocket {@code watch_plans}, an SSE
 * {@code /api/plan-index/stream}) filtered by prefix and by the token's plan grants, with the watcher
 * counts of the plans they show ({@link io.stepcast.gateway.index.WatcherCounts}).
 */
package io.stepcast.gateway.index;
