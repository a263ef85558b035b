package io.stepcast.gateway.budget;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one over-budget check does, decided from the outputs' pending bytes alone (no I/O): which open
 * outputs to shed and which closing ones to cut.
 *
 * <ul>
 *   <li>Shed: when the open outputs alone pass the budget, open outputs, largest pending first (the
 *       furthest-behind clients), until the open outputs left hold at most the low-water mark.
 *       Outputs already closing do not count here: shedding more clients for memory that is on its
 *       way back would shed clients that keep up, and a wave of shedding every check while it comes
 *       back would shed nearly everyone.</li>
 *   <li>Cut: while all outputs together still pass the budget, closing outputs that have been closing
 *       for at least {@code cut-after} (seen closing by an over-budget check that long ago, or shed
 *       that long ago), largest first, until under the budget: a shed client gets {@code cut-after}
 *       to read what it holds and its close frame, then its memory is taken back.</li>
 * </ul>
 *
 * <p>Not thread-safe: one instance per {@link OutputBudget}, used on its timer thread.
 */
final class SheddingPlan {

    /** One output as measured by a check. */
    record Measured(PendingOutputs<Object> source, Object output, long pending, boolean closing) {}

    /** The decision: outputs to shed and outputs to cut. */
    record Decision(List<Measured> shed, List<Measured> cut) {}

    private static final Comparator<Measured> LARGEST_FIRST =
            Comparator.comparingLong(Measured::pending).reversed();

    private final long cutAfterNanos;
    /** When over-budget checks first saw each closing output closing (or shed it). */
    private Map<Object, Long> closingSince = new IdentityHashMap<>();

    /** @param cutAfterNanos how long a closing output keeps its connection while over budget */
    SheddingPlan(long cutAfterNanos) {
        this.cutAfterNanos = cutAfterNanos;
    }

    /** Forgets the closing outputs: the total is back under the budget. */
    void reset() {
        if (!closingSince.isEmpty()) {
            closingSince = new IdentityHashMap<>();
        }
    }

    /**
     * Decides one over-budget check.
     *
     * @param outputs  every output with its pending bytes, open and closing
     * @param maxBytes the budget
     * @param lowWater the level the open outputs are brought down to
     * @param nowNanos the check's time ({@code System.nanoTime()})
     */
    Decision decide(List<Measured> outputs, long maxBytes, long lowWater, long nowNanos) {
        List<Measured> open = new ArrayList<>();
        List<Measured> closing = new ArrayList<>();
        long openTotal = 0;
        long total = 0;
        for (Measured m : outputs) {
            total += m.pending();
            if (m.closing()) {
                closing.add(m);
            } else {
                open.add(m);
                openTotal += m.pending();
            }
        }
        Map<Object, Long> next = new IdentityHashMap<>();
        List<Measured> shed = new ArrayList<>();
        boolean shedding = false;
        open.sort(LARGEST_FIRST);
        for (Measured m : open) {
            if (!shedding && openTotal <= maxBytes || openTotal <= lowWater || m.pending() == 0) {
                break;
            }
            shedding = true;
            shed.add(m);
            openTotal -= m.pending();
            next.put(m.output(), nowNanos);
        }
        List<Measured> cut = new ArrayList<>();
        closing.sort(LARGEST_FIRST);
        for (Measured m : closing) {
            if (m.pending() == 0) {
                continue;
            }
            long since = closingSince.getOrDefault(m.output(), nowNanos);
            if (total > maxBytes && nowNanos - since >= cutAfterNanos) {
                cut.add(m);
                total -= m.pending();
            } else {
                next.put(m.output(), since);
            }
        }
        closingSince = next;
        return new Decision(shed, cut);
    }
}
