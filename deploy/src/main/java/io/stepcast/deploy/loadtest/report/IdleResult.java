package io.stepcast.deploy.loadtest.report;

/**
 * Idle subscribed connections: the server's RSS growth per connection.
 *
 * @param rssPerConnBytes (rssAfter − rssBefore) / connections
 * @param rssHalfBytes    RSS with the first half of the connections open
 * @param marginalRssPerConnBytes (rssAfter − rssHalf) / connections of the second half: the cost of
 *                        one more connection once many are open
 * @param idleCpuPercent  server CPU while the connections sat idle (heartbeats), 100 = one core
 * @param round           1-based round of the run (each round starts a fresh server)
 * @param liveHeapPerConnBytes JVM servers: growth of the live heap after a full GC (jcmd
 *                        GC.class_histogram, taken after the RSS readings) per connection; -1 otherwise
 */
public record IdleResult(
        String system,
        int round,
        int connections,
        int plans,
        long rssBeforeBytes,
        long rssAfterBytes,
        double rssPerConnBytes,
        long rssHalfBytes,
        double marginalRssPerConnBytes,
        double idleCpuPercent,
        String load,
        long liveHeapBeforeBytes,
        long liveHeapAfterBytes,
        double liveHeapPerConnBytes) {}
