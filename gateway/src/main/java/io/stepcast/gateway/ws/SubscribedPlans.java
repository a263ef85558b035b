package io.stepcast.gateway.ws;

import java.util.Arrays;
import java.util.List;

/**
 * The plan ids one connection is subscribed to: a copy-on-write array, because a connection has a
 * handful of subscriptions at most ({@code stepcast.ws.max-subscriptions}) and there is one of
 * these per connection — an array costs a few bytes where a concurrent set costs about 200.
 *
 * <p>Threading: changes are serialized by this object's monitor (the event loop adds and removes;
 * hub callbacks on Redis threads remove); reads take no lock and see the latest array.
 */
final class SubscribedPlans {

    private static final String[] NONE = new String[0];

    /** No duplicates; never modified in place. */
    private volatile String[] ids = NONE;

    boolean contains(String planId) {
        return indexOf(ids, planId) >= 0;
    }

    int size() {
        return ids.length;
    }

    /** Adds the plan id unless present. */
    synchronized void add(String planId) {
        String[] current = ids;
        if (indexOf(current, planId) < 0) {
            String[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = planId;
            ids = next;
        }
    }

    /** Removes the plan id; false when it was not present. */
    synchronized boolean remove(String planId) {
        String[] current = ids;
        int i = indexOf(current, planId);
        if (i < 0) {
            return false;
        }
        String[] next = current.length == 1 ? NONE : new String[current.length - 1];
        System.arraycopy(current, 0, next, 0, i);
        System.arraycopy(current, i + 1, next, i, current.length - i - 1);
        ids = next;
        return true;
    }

    /** An immutable copy. */
    List<String> toList() {
        return List.of(ids);
    }

    private static int indexOf(String[] ids, String planId) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(planId)) {
                return i;
            }
        }
        return -1;
    }
}
