package io.stepcast.deploy.loadtest.report;

/**
 * Resume storm: every client drops, falls {@code behind} events back, and reconnects at once.
 *
 * @param recovered      clients answered {@code subscribed {recovered:true}} with no snapshot
 * @param resets         clients that got a snapshot (recovered:false) instead
 * @param gaps           events skipped (seq jumped) over all clients
 * @param duplicates     events received twice
 * @param missing        events still missing at the end
 * @param allRecoveredMs from the first reconnect until the last client had every event up to the
 *                       head at reconnect time
 * @param recoveryTime   per client: reconnect start → caught up to that head
 */
public record ResumeResult(
        int clients,
        int plans,
        int behind,
        double liveRate,
        int reconnected,
        int recovered,
        int resets,
        long gaps,
        long duplicates,
        long missing,
        double allRecoveredMs,
        Latency recoveryTime,
        double serverCpuSeconds,
        String load) {

    public boolean allRecovered() {
        return reconnected == clients
                && recovered == clients
                && resets == 0
                && gaps == 0
                && duplicates == 0
                && missing == 0;
    }
}
