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
 *   <li>Shed: open outputs, largest pending first (the furthest-behind clients), until the open
 *       outputs together hold at most the low-water mark.</li>
 *   <li>Cut: when the open ones that remain plus the closing ones still pass the budget, closing
 *       outputs whose pending made no progress since the previous check (their clients do not read:
 *       they would hold their memory until the close timeout), largest first, until under the
 *       budget. A closing output that still shrinks keeps its connection, so a client that reads
 *       reaches its close frame.</li>
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

    /** Pending bytes of the outputs that were closing (or shed) at the previous check. */
    private Map<Object, Long> previous = new IdentityHashMap<>();

    /** Forgets progress history: the total is back under the budget. */
    void reset() {
        if (!previous.isEmpty()) {
            previous = new IdentityHashMap<>();
        }
    }

    /**
     * Decides one over-budget check.
     *
     * @param outputs  every output with its pending bytes, open and closing
     * @param maxBytes the budget
     * @param lowWater the level the open outputs are brought down to
     */
    Decision decide(List<Measured> outputs, long maxBytes, long lowWater) {
        List<Measured> open = new ArrayList<>();
        List<Measured> closing = new ArrayList<>();
        long openTotal = 0;
        long closingTotal = 0;
        for (Measured m : outputs) {
            if (m.closing()) {
                closing.add(m);
                closingTotal += m.pending();
            } else {
                open.add(m);
                openTotal += m.pending();
            }
        }
        Map<Object, Long> next = new IdentityHashMap<>();
        List<Measured> shed = new ArrayList<>();
        if (openTotal > lowWater) {
            open.sort(LARGEST_FIRST);
            for (Measured m : open) {
                if (openTotal <= lowWater || m.pending() == 0) {
                    break;
                }
                shed.add(m);
                openTotal -= m.pending();
                next.put(m.output(), m.pending());
            }
        }
        List<Measured> cut = new ArrayList<>();
        long total = openTotal + closingTotal;
        closing.sort(LARGEST_FIRST);
        for (Measured m : closing) {
            Long before = previous.get(m.output());
            if (total > maxBytes && m.pending() > 0 && before != null && m.pending() >= before) {
                cut.add(m);
                total -= m.pending();
            } else if (m.pending() > 0) {
                next.put(m.output(), m.pending());
            }
        }
        previous = next;
        return new Decision(shed, cut);
    }
}
