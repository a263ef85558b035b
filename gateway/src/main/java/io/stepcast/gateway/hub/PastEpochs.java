package io.stepcast.gateway.hub;

import java.util.ArrayDeque;

/**
 * The last few epochs a {@link PlanStream} left behind (at most {@link #KEPT}, oldest forgotten
 * first): a late frame of one of those is stale and dropped, not the start of a new epoch that would
 * restart every subscriber.
 *
 * <p>Not thread-safe: guarded, like its stream, by the owning {@link PlanChannel}'s lock.
 */
final class PastEpochs {

    static final int KEPT = 4;

    private final ArrayDeque<String> epochs = new ArrayDeque<>(KEPT);

    /** The stream left {@code epoch} for another one. */
    void left(String epoch) {
        if (epochs.size() == KEPT) {
            epochs.removeFirst();
        }
        epochs.addLast(epoch);
    }

    boolean contains(String epoch) {
        return epochs.contains(epoch);
    }
}
