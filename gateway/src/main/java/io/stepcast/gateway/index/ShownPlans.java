package io.stepcast.gateway.index;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The plans one watch shows and the watcher count it last sent for each: its first page plus the
 * plans it received updates for, the {@value #MAX} most recently shown kept (older ones are no longer
 * counted for this watch). A removal forgets its plan.
 *
 * <p>Not thread-safe: used under its {@link IndexWatch}'s lock.
 */
final class ShownPlans {

    /** Plans tracked per watch: at least a whole first page (the largest page is 500). */
    static final int MAX = 500;

    /** Count not sent yet (the first page was read without counts). */
    private static final long UNSENT = -1;

    private final Map<String, Long> sent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX;
        }
    };

    /** Forgets everything (a new first page replaces the list). */
    void clear() {
        sent.clear();
    }

    /** The plan is shown with this count (null: without one, the next refresh sends it). */
    void shown(String plan, Long watchers) {
        sent.put(plan, watchers == null ? UNSENT : watchers);
    }

    void removed(String plan) {
        sent.remove(plan);
    }

    /** The plans shown, most recent last. */
    List<String> plans() {
        return new ArrayList<>(sent.keySet());
    }

    /**
     * The counts of shown plans that differ from what was sent, recorded as sent; plans absent from
     * {@code totals} or not {@code visible} are left out.
     */
    Map<String, Long> changed(Map<String, Long> totals, Predicate<String> visible) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : sent.entrySet()) { // setValue is no access: the order stays
            Long now = totals.get(e.getKey());
            if (now != null && now.longValue() != e.getValue() && visible.test(e.getKey())) {
                out.put(e.getKey(), now);
                e.setValue(now);
            }
        }
        return out;
    }
}
