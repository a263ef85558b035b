package io.stepcast.deploy.loadtest.report;

/**
 * Idle subscribed connections: the server's RSS growth per connection.
 *
 * @param rssPerConnBytes (rssAfter − rssBefore) / connections
 * @param idleCpuPercent  server CPU while the connections sat idle (heartbeats), 100 = one core
 */
public record IdleResult(String system, int connections, int plans, long rssBeforeBytes, long rssAfterBytes,
                         double rssPerConnBytes, double idleCpuPercent, String load) {
}
