package io.stepcast.gateway.presence;

import java.util.Map;

/**
 * What this gateway contributes to {@link Presence}: its own watchers per plan and its own open
 * connections, counted by the transports. Read once per heartbeat, off the event loops; both
 * methods must be cheap, thread-safe and non-blocking.
 */
public interface LocalCounts {

    /** Watchers per plan on this gateway (plans without any are absent); a live, weakly consistent view. */
    Map<String, Integer> watchersByPlan();

    /** Open connections on this gateway. */
    int connections();
}
