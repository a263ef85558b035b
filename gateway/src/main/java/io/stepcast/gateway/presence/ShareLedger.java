package io.stepcast.gateway.presence;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * This gateway's share of presence as Redis last acknowledged it, and the next heartbeat's request.
 *
 * <p>Changes are never lost to a failed heartbeat: each request carries the difference between the
 * counts now and the counts Redis acknowledged, so changes made during an outage are applied
 * together by the first heartbeat that succeeds. A version number, stored with the share and checked
 * by the script, catches every case where Redis holds something else than this ledger believes (the
 * gateway was reaped while cut off, Redis restarted empty or from an older snapshot, a heartbeat
 * whose reply was lost did run): the script refuses the changes and the ledger re-registers the full
 * counts.
 *
 * <p>Not thread-safe: used by the presence thread only.
 */
final class ShareLedger {

    /** The field of the open connections (no plan id starts with {@code ~}). */
    static final String CONNECTIONS = "~connections";

    /** What one heartbeat asks the script to do. */
    enum Mode {
        /** Apply these changes, if Redis holds version {@code expected}. */
        DELTA,
        /** Replace this gateway's share by these counts. */
        FULL,
        /** Remove this gateway's share (graceful shutdown). */
        LEAVE;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One heartbeat's request.
     *
     * @param fields   the changes ({@link Mode#DELTA}) or every non-zero count ({@link Mode#FULL})
     * @param counts   the counts Redis holds once this request is applied
     */
    record Request(Mode mode, long expected, long version, Map<String, Long> fields, Map<String, Long> counts) {}

    private Map<String, Long> applied = Map.of();
    private long version;
    private boolean registered;

    /** The request that brings Redis to these counts. */
    Request next(Map<String, Integer> watchers, int connections) {
        Map<String, Long> now = new HashMap<>(watchers.size() * 2 + 2);
        watchers.forEach((plan, n) -> {
            if (n != null && n > 0) {
                now.put(plan, n.longValue());
            }
        });
        if (connections > 0) {
            now.put(CONNECTIONS, (long) connections);
        }
        if (!registered) {
            return new Request(Mode.FULL, version, version + 1, now, now);
        }
        Map<String, Long> changes = new LinkedHashMap<>();
        now.forEach((field, n) -> {
            long d = n - applied.getOrDefault(field, 0L);
            if (d != 0) {
                changes.put(field, d);
            }
        });
        applied.forEach((field, n) -> {
            if (!now.containsKey(field)) {
                changes.put(field, -n);
            }
        });
        return new Request(Mode.DELTA, version, version + 1, changes, now);
    }

    /** The request that removes this gateway's share. */
    Request leave() {
        return new Request(Mode.LEAVE, version, version + 1, Map.of(), Map.of());
    }

    /** Redis applied the request. */
    void applied(Request request) {
        applied = request.counts();
        version = request.version();
        registered = request.mode() != Mode.LEAVE;
    }

    /** Redis refused the changes: it does not hold what this ledger believes. Next: the full counts. */
    void refused() {
        registered = false;
    }

    /** True once Redis holds this gateway's share (until a refusal or a leave). */
    boolean registered() {
        return registered;
    }
}
