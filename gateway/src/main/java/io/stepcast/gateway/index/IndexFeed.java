package io.stepcast.gateway.index;

import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.redis.LogPage;
import io.stepcast.gateway.redis.PlanBus;
import io.stepcast.gateway.redis.PlanIndex;
import io.stepcast.gateway.redis.PlanStore;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's one subscription to the plan index's change channel, shared by every watch.
 *
 * <p>Delivery: the feed hands its watches every change of the index in seq order, each exactly once,
 * within one index epoch. It subscribes when the first watch joins and stays subscribed. Pub/sub is
 * at-most-once, so the feed keeps the last seq it delivered and repairs from the index log: a change
 * that skips seqs, a lost subscription ({@link PlanBus.IndexListener#onIndexLost()}: connection down,
 * cluster slot moved) or a re-subscription read the missed changes from the log (like a plan's stream)
 * while new messages are held. When the log cannot continue (the index's epoch changed, or it was
 * trimmed past the feed's position) every watch restarts with a first page.
 *
 * <p>Threading: bus callbacks and Redis replies run on Redis I/O threads; state is guarded by this
 * object's monitor, held only while queueing to watches (which never block). Lock order: feed, then
 * watch.
 *
 * <p>Memory: at most {@value #MAX_HELD} changes are held during a repair; past that they are dropped
 * and read from the log instead.
 */
@Singleton
public final class IndexFeed implements PlanBus.IndexListener {

    private static final Logger LOG = LoggerFactory.getLogger(IndexFeed.class);
    static final int MAX_HELD = 10_000;
    /** Log entries read per repair round. */
    static final int REPAIR_BATCH = 1_000;

    /** Tries of the first subscription (a second apart) before the waiting watches are told. */
    static final int FIRST_ATTEMPTS = 5;

    private static final Executor RETRY = CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS);

    private final PlanBus bus;
    private final PlanStore store;
    private final PlanIndex index;
    private final WatcherCounts counts;
    private final Set<IndexWatch> watches = ConcurrentHashMap.newKeySet();

    // guarded by this
    /** Completes when the first subscription is confirmed and the position read; null before any watch. */
    private CompletableFuture<Void> started;
    /** True while changes flow in order; false while (re)subscribing or repairing. */
    private boolean live;
    /** Null before the position is known; else the index epoch (null: no index yet) of {@link #seq}. */
    private Position position;

    private final ArrayDeque<IndexChange> held = new ArrayDeque<>();
    private boolean heldOverflow;
    private boolean repairing;
    /** A repair was asked for while one was reading: read again after it (it may have read too early). */
    private boolean repairAgain;
    /** A re-subscription after a loss is under way (reported losses do not start another one). */
    private boolean resubscribing;
    /** A loss was reported while re-subscribing: subscribe again after it (it may have gone to the old owner). */
    private boolean lostAgain;

    private record Position(String epoch, long seq) {}

    public IndexFeed(PlanBus bus, PlanStore store, PlanIndex index, WatcherCounts counts) {
        this.bus = bus;
        this.store = store;
        this.index = index;
        this.counts = counts;
        bus.setIndexListener(this);
    }

    /**
     * Starts a watch: it joins the feed, then reads its first page (or, with a cursor the index log
     * continues, the missed changes), then follows the feed. Never blocks.
     *
     * @param visible plan ids the watch may see (prefix and token grants), applied before anything is read
     */
    public IndexWatch watch(IndexSink sink, Predicate<String> visible, int limit, Cursor resume) {
        IndexWatch watch = new IndexWatch(sink, visible, limit, index, store, counts);
        watches.add(watch);
        CompletableFuture<Void> ready;
        boolean first = false;
        synchronized (this) {
            if (started == null) {
                started = new CompletableFuture<>();
                first = true;
            }
            ready = started;
        }
        if (first) {
            subscribe(FIRST_ATTEMPTS);
        }
        ready.whenComplete((ok, error) -> {
            if (error != null) {
                watches.remove(watch);
                watch.unavailable();
            } else {
                watch.start(resume);
            }
        });
        return watch;
    }

    /** Ends a watch: nothing more reaches its sink. Idempotent. */
    public void leave(IndexWatch watch) {
        watches.remove(watch);
        watch.close();
    }

    /** Watches on this instance (metrics, tests). */
    public int watches() {
        return watches.size();
    }

    /**
     * SUBSCRIBEs the index channel, then repairs. {@code attempts} > 0: the first subscription, which
     * fails the waiting watches after that many tries (the next watch tries again); otherwise retried
     * until it succeeds.
     */
    private void subscribe(int attempts) {
        CompletableFuture<Void> confirmed;
        try {
            confirmed = bus.subscribeIndex();
        } catch (RuntimeException e) {
            confirmed = CompletableFuture.failedFuture(e);
        }
        confirmed.whenComplete((ok, error) -> {
            if (error == null) {
                boolean again;
                synchronized (this) {
                    again = lostAgain;
                    lostAgain = false;
                    resubscribing = again;
                }
                if (again) {
                    subscribe(0);
                } else {
                    repair();
                }
                return;
            }
            LOG.debug("plan index subscription failed: {}", error.toString());
            if (attempts == 1) {
                CompletableFuture<Void> failed;
                synchronized (this) {
                    failed = started;
                    started = null; // the next watch tries again
                }
                failed.completeExceptionally(error);
            } else {
                RETRY.execute(() -> subscribe(Math.max(0, attempts - 1)));
            }
        });
    }

    @Override
    public void onIndexLost() {
        synchronized (this) {
            if (started == null || !started.isDone() || started.isCompletedExceptionally()) {
                return; // not subscribed yet: the first subscription reads the position anyway
            }
            live = false;
            if (resubscribing) {
                lostAgain = true;
                return;
            }
            resubscribing = true;
        }
        subscribe(0);
    }

    @Override
    public void onIndexMessage(byte[] frame) {
        IndexChange change = IndexChange.parse(frame);
        if (change == null) {
            LOG.warn("plan index: ignored a malformed change frame of {} bytes", frame.length);
            return;
        }
        synchronized (this) {
            if (live) {
                accept(change);
            } else {
                hold(change);
            }
        }
    }

    /** Live: deliver the next change, drop one already delivered, repair on a hole or a new epoch. */
    private void accept(IndexChange change) {
        Position at = position;
        boolean sameEpoch = change.epoch().equals(at.epoch());
        if (sameEpoch && change.seq() <= at.seq()) {
            return; // delivered already (a repair read it from the log)
        }
        boolean next = sameEpoch
                ? change.seq() == at.seq() + 1
                : at.epoch() == null && at.seq() == 0 && change.seq() == 1; // the index was just created
        if (next) {
            position = new Position(change.epoch(), change.seq());
            for (IndexWatch watch : watches) {
                watch.offer(change);
            }
        } else {
            live = false;
            hold(change);
            repair();
        }
    }

    private void hold(IndexChange change) {
        if (held.size() >= MAX_HELD) {
            held.clear();
            heldOverflow = true;
        }
        held.add(change);
    }

    /** Reads the changes after the feed's position from the log (the position itself at first). */
    private void repair() {
        long after;
        synchronized (this) {
            if (repairing) {
                repairAgain = true;
                return;
            }
            repairing = true;
            // no position yet: read only the head (no entry is that far)
            after = position == null ? Cursor.MAX_SEQ - 1 : position.seq();
        }
        store.readIndexLog(after, REPAIR_BATCH).whenComplete((page, error) -> {
            if (error != null) {
                LOG.debug("plan index repair failed, retrying: {}", error.toString());
                synchronized (this) {
                    repairing = false;
                }
                RETRY.execute(this::repair);
            } else {
                repaired(page);
            }
        });
    }

    private void repaired(LogPage page) {
        List<IndexWatch> restart = List.of();
        CompletableFuture<Void> first;
        boolean again;
        synchronized (this) {
            repairing = false;
            first = started;
            if (position == null) {
                position = new Position(page.epoch(), page.head());
            } else if (!new Cursor(position.epoch(), position.seq()).continuedBy(page)) {
                LOG.info("plan index: the log does not continue the live position; every watch restarts");
                position = new Position(page.epoch(), page.head());
                restart = new ArrayList<>(watches);
            } else {
                for (LogPage.LogEntry entry : page.entries()) {
                    IndexChange change = IndexChange.parse(entry.frame());
                    if (change != null && entry.seq() == position.seq() + 1) {
                        position = new Position(change.epoch(), change.seq());
                        for (IndexWatch watch : watches) {
                            watch.offer(change);
                        }
                    }
                }
            }
            again = position.seq() < page.head() || heldOverflow || repairAgain;
            heldOverflow = false;
            repairAgain = false;
            if (!again) {
                live = true;
                List<IndexChange> pending = new ArrayList<>(held);
                held.clear();
                for (IndexChange change : pending) {
                    if (live) {
                        accept(change);
                    } else {
                        hold(change);
                    }
                }
            }
        }
        if (again) {
            repair();
        }
        for (IndexWatch watch : restart) {
            watch.start(null);
        }
        if (first != null) {
            first.complete(null);
        }
    }
}
