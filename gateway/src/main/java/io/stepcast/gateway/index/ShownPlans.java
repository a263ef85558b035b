package io.stepcast.gateway.index;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The plans one watch shows and the watcher count it last sent for each: its first page plus the
 * plans it received updates for, the {@value #MAX} most recently shown kept (older ones are no longer
 * counted for this watch). A removal forgets its plan. After a recovered resume the first page is not
 * sent: it is {@linkplain #seed seeded} once its ids are read, older than every plan shown meanwhile,
 * except plans removed meanwhile.
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

    /** Removals seen since {@link #seeding()}, null when no seed is awaited. */
    private Set<String> removedWhileSeeding;

    /** Forgets everything (a new first page replaces the list). */
    void clear() {
        sent.clear();
        removedWhileSeeding = null;
    }

    /** A seed will follow: removals from now on are remembered so that it does not bring them back. */
    void seeding() {
        removedWhileSeeding = new HashSet<>();
    }

    /**
     * Adds a page's plans (newest first) without counts, as shown before every plan already here (the
     * first to go past {@value #MAX}); plans already here keep their count, plans removed since {@link
     * #seeding()} are left out. Ignored when no seed is awaited.
     */
    void seed(List<String> page) {
        if (removedWhileSeeding == null) {
            return;
        }
        Map<String, Long> later = new LinkedHashMap<>(sent);
        sent.clear();
        for (int i = Math.min(page.size(), MAX) - 1; i >= 0; i--) { // oldest first
            String plan = page.get(i);
            if (!later.containsKey(plan) && !removedWhileSeeding.contains(plan)) {
                sent.put(plan, UNSENT);
            }
        }
        sent.putAll(later);
        removedWhileSeeding = null;
    }

    /** The plan is shown with this count (null: without one, the next refresh sends it). */
    void shown(String plan, Long watchers) {
        sent.put(plan, watchers == null ? UNSENT : watchers);
    }

    void removed(String plan) {
        sent.remove(plan);
        if (removedWhileSeeding != null) {
            removedWhileSeeding.add(plan);
        }
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
