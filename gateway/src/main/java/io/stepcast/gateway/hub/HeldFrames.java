package io.stepcast.gateway.hub;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Predicate;

/**
 * The live frames one {@link PlanStream} holds back while it is not LIVE (subscribing, repairing a
 * hole, resyncing), in arrival order, with their byte count, bounded by
 * {@code stepcast.hub.hold-max-frames} and {@code hold-max-bytes}: past either bound every held frame
 * is dropped at once (the stream then reads them from the log instead), so a plan that cannot catch up
 * costs at most the bound.
 *
 * <p>Invariant: {@link #bytes} is the sum of the held frames' sizes.
 *
 * <p>Not thread-safe: guarded, like its stream, by the owning {@link PlanChannel}'s lock.
 */
final class HeldFrames {

    private final int maxFrames;
    private final long maxBytes;
    private final ArrayDeque<SharedFrame> frames = new ArrayDeque<>();
    private long bytes;

    HeldFrames(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    int size() {
        return frames.size();
    }

    /**
     * Holds a frame that arrived while not LIVE.
     *
     * @return false when that passed a bound: every held frame was dropped (the log has them)
     */
    boolean add(SharedFrame f) {
        frames.addLast(f);
        bytes += f.bytes().length;
        if (frames.size() > maxFrames || bytes > maxBytes) {
            clear();
            return false;
        }
        return true;
    }

    /** Puts the frame that started a repair or resync in front of the held ones (not bounded). */
    void addFirst(SharedFrame f) {
        frames.addFirst(f);
        bytes += f.bytes().length;
    }

    /** The oldest held frame, or null. */
    SharedFrame poll() {
        SharedFrame f = frames.pollFirst();
        if (f != null) {
            bytes -= f.bytes().length;
        }
        return f;
    }

    void clear() {
        frames.clear();
        bytes = 0;
    }

    /** Drops the frames of every other epoch (stale, or bogus) after an anchor at {@code epoch}. */
    void retainEpoch(String epoch) {
        removeIf(f -> !f.epoch().equals(epoch));
    }

    /** The highest held seq of {@code epoch}, 0 when none. */
    long highestSeq(String epoch) {
        long highest = 0;
        for (SharedFrame f : frames) {
            if (f.epoch().equals(epoch)) {
                highest = Math.max(highest, f.seq());
            }
        }
        return highest;
    }

    /**
     * Drops the frames of {@code epoch} with a seq in ({@code head}, {@code upTo}]: held before a log
     * read, yet beyond the head that read saw, so not from the bridge.
     *
     * @return true when any was dropped
     */
    boolean dropBeyondHead(String epoch, long head, long upTo) {
        return removeIf(f -> f.epoch().equals(epoch) && f.seq() > head && f.seq() <= upTo);
    }

    private boolean removeIf(Predicate<SharedFrame> drop) {
        boolean any = false;
        for (Iterator<SharedFrame> it = frames.iterator(); it.hasNext(); ) {
            SharedFrame f = it.next();
            if (drop.test(f)) {
                it.remove();
                bytes -= f.bytes().length;
                any = true;
            }
        }
        return any;
    }
}
