package io.stepcast.gateway.hub;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live subscribers of one plan: the fan-out hot path.
 *
 * <p>Not thread-safe: guarded by the lock of the owning {@link PlanChannel}. The array is replaced
 * on every membership change (copy-on-write) so that a fan-out iterates it without copying, and a
 * subscriber removed during a fan-out does not disturb it. Each member carries a mark: frames up to
 * it are already covered by its snapshot or replay and are skipped for it.
 */
final class LiveSet {

    /** A live subscriber; frames with seq ≤ {@code after} are skipped for it. */
    record Attached(Subscriber subscriber, long after) {}

    private static final Logger LOG = LoggerFactory.getLogger(LiveSet.class);
    private static final Attached[] NONE = new Attached[0];

    private final String planId;
    private Attached[] members = NONE;

    LiveSet(String planId) {
        this.planId = planId;
    }

    int size() {
        return members.length;
    }

    boolean contains(Subscriber s) {
        return indexOf(s) >= 0;
    }

    /** The current members (the array is never modified; do not modify it). */
    Attached[] members() {
        return members;
    }

    void add(Subscriber s, long after) {
        Attached[] next = Arrays.copyOf(members, members.length + 1);
        next[members.length] = new Attached(s, after);
        members = next;
    }

    boolean remove(Subscriber s) {
        int i = indexOf(s);
        if (i < 0) {
            return false;
        }
        Attached[] next = new Attached[members.length - 1];
        System.arraycopy(members, 0, next, 0, i);
        System.arraycopy(members, i + 1, next, i, members.length - i - 1);
        members = next;
        return true;
    }

    void clear() {
        members = NONE;
    }

    /**
     * Hands the frame to every member whose mark it passes. A member that refuses it (or throws) is
     * removed and reported as {@link Action.Drop}.
     *
     * @return the number of members that took it
     */
    int fanOut(SharedFrame f, Effects out) {
        int sent = 0;
        for (Attached a : members) {
            if (f.seq() > a.after()) {
                if (offer(planId, a.subscriber(), f)) {
                    sent++;
                } else {
                    remove(a.subscriber());
                    out.add(new Action.Drop(a.subscriber()));
                }
            }
        }
        return sent;
    }

    /** One delivery; false when the subscriber cannot keep up or threw. */
    static boolean offer(String planId, Subscriber subscriber, SharedFrame f) {
        try {
            return subscriber.onEvent(f);
        } catch (RuntimeException e) {
            LOG.warn("plan {}: subscriber {} threw from onEvent; dropping it", planId, subscriber.id(), e);
            return false;
        }
    }

    private int indexOf(Subscriber s) {
        Attached[] a = members;
        for (int i = 0; i < a.length; i++) {
            if (a[i].subscriber() == s) {
                return i;
            }
        }
        return -1;
    }
}
