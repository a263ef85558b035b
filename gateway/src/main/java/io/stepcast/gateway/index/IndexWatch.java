package io.stepcast.gateway.index;

import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.redis.IndexPage;
import io.stepcast.gateway.redis.IndexQuery;
import io.stepcast.gateway.redis.PlanIndex;
import io.stepcast.gateway.redis.PlanStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's watch of the plan index (a WebSocket {@code watch_plans}, an SSE index stream).
 *
 * <p>Start: the watch joins the {@link IndexFeed} first, holding what the feed delivers, then reads
 * its first page (or, resuming, the index log after the client's cursor) and sends {@code plans};
 * held changes after the page's seq follow, then live ones. Because the page is read after joining,
 * and the index's meta and channel are written in one script, no change falls between page and live
 * stream; a change already in the page may arrive again (an idempotent upsert of the same summary is
 * not sent twice: changes at or below the page's seq are dropped).
 *
 * <p>Scoping: {@code visible} (prefix and the token's plan grants) is applied to plan ids before the
 * page is read and to every change before it is sent: nothing about other plans leaves the gateway.
 *
 * <p>Resume: when the index's epoch matches and the log still holds every change after the cursor (at
 * most {@value #MAX_REPLAY} of them), {@code plans {recovered:true, plans:[]}} then the missed changes;
 * otherwise a first page ({@code recovered:false}).
 *
 * <p>Watchers: each {@code plan_update} sent carries the plan's cached count ({@link WatcherCounts}),
 * and the counts of the plans the watch shows ({@link ShownPlans}) that changed since are sent as
 * {@code plan_watchers} after each refresh. After a recovered resume the shown plans are seeded with the
 * ids of the first page the watch would have got (read without summaries after {@code plans} is sent), so
 * the next refresh counts the plans the client already holds.
 *
 * <p>Threading: feed deliveries and Redis replies arrive on Redis I/O threads; state is guarded by this
 * object's monitor, held while queueing to the sink (which never blocks). A generation number discards
 * reads of a start that was superseded (restart, close).
 *
 * <p>Memory: at most {@value #MAX_BUFFERED} changes are held while the start reads; past that the start
 * begins again.
 */
public final class IndexWatch {

    private static final Logger LOG = LoggerFactory.getLogger(IndexWatch.class);
    static final int MAX_REPLAY = 1_000;
    static final int MAX_BUFFERED = 10_000;

    private final IndexSink sink;
    private final Predicate<String> visible;
    private final int limit;
    private final PlanIndex index;
    private final PlanStore store;
    private final WatcherCounts counts;
    private final ShownPlans shown = new ShownPlans();

    // guarded by this
    private int generation;
    private boolean following;
    private boolean closed;
    private String epoch;
    private long seq;
    private final ArrayDeque<IndexChange> buffer = new ArrayDeque<>();

    IndexWatch(
            IndexSink sink,
            Predicate<String> visible,
            int limit,
            PlanIndex index,
            PlanStore store,
            WatcherCounts counts) {
        this.sink = sink;
        this.visible = visible;
        this.limit = limit;
        this.index = index;
        this.store = store;
        this.counts = counts;
    }

    /** (Re)starts: a first page, or the replay after {@code resume} when the log still continues it. */
    void start(Cursor resume) {
        int gen;
        synchronized (this) {
            if (closed) {
                return;
            }
            gen = ++generation;
            following = false;
            buffer.clear();
            shown.clear();
            counts.add(this); // counted from its first start until closed
        }
        if (resume == null) {
            firstPage(gen);
        } else {
            replay(gen, resume);
        }
    }

    void close() {
        synchronized (this) {
            closed = true;
            buffer.clear();
        }
        counts.remove(this);
    }

    void unavailable() {
        sink.unavailable("the plan index is unavailable; watch again later");
    }

    /** From the feed (holding its lock): the index's next change. */
    void offer(IndexChange change) {
        boolean restart;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!following) {
                if (buffer.size() >= MAX_BUFFERED) {
                    buffer.clear();
                    following = true; // so that the restart below is taken once
                    restart = true;
                } else {
                    buffer.add(change);
                    return;
                }
            } else {
                restart = !deliver(change);
            }
        }
        if (restart) {
            start(null);
        }
    }

    /** Sends the change when the watch sees it; false when it does not continue the watch's position. */
    private boolean deliver(IndexChange change) {
        boolean sameEpoch = change.epoch().equals(epoch);
        if (sameEpoch && change.seq() <= seq) {
            return true; // already covered by the page or the replay
        }
        boolean next = sameEpoch ? change.seq() == seq + 1 : epoch == null && seq == 0 && change.seq() == 1;
        if (!next) {
            return false;
        }
        epoch = change.epoch();
        seq = change.seq();
        if (!visible.test(change.planId())) {
            return true;
        }
        if (change.isUpdate()) {
            long n = counts.of(change.planId());
            shown.shown(change.planId(), n);
            sink.change(change, change.frameWithWatchers(n));
        } else {
            shown.removed(change.planId());
            sink.change(change, change.frame());
        }
        return true;
    }

    /** From {@link WatcherCounts} after a refresh: sends the counts of shown plans that changed. */
    void watchersChanged(Map<String, Long> totals) {
        synchronized (this) {
            if (closed || !following) {
                return;
            }
            Map<String, Long> changed = shown.changed(totals, visible);
            if (!changed.isEmpty()) {
                sink.watchers(new ServerFrame.PlanWatchers(changed));
            }
        }
    }

    /** The plans this watch shows (a copy). */
    synchronized List<String> shownPlans() {
        return shown.plans();
    }

    private void firstPage(int gen) {
        CompletableFuture<IndexPage> read;
        try {
            read = index.page(new IndexQuery(visible, Set.of(), limit, null));
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.thenCompose(page -> counts.page(ids(page)).thenApply(n -> Map.entry(page, n)))
                .whenComplete((loaded, error) -> {
                    if (error != null) {
                        failed(gen);
                    } else {
                        begin(gen, PageFrame.of(loaded.getKey(), loaded.getValue()), List.of(), loaded);
                    }
                });
    }

    private void replay(int gen, Cursor resume) {
        store.readIndexLog(resume.seq(), MAX_REPLAY).whenComplete((page, error) -> {
            if (error != null) {
                failed(gen);
                return;
            }
            List<IndexChange> missed = IndexChange.continuing(resume, page, MAX_REPLAY);
            if (missed == null) {
                firstPage(gen);
                return;
            }
            String at = resume.epoch() == null ? page.epoch() : resume.epoch();
            begin(gen, new ServerFrame.Plans(at, resume.seq(), true, List.of(), null), missed, null);
            seed(gen);
        });
    }

    /** After a recovered resume: shows the ids of the first page the client would get (no summaries). */
    private void seed(int gen) {
        synchronized (this) {
            if (closed || gen != generation) {
                return;
            }
            shown.seeding();
        }
        CompletableFuture<IndexPage> read;
        try {
            read = index.ids(new IndexQuery(visible, Set.of(), limit, null));
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((page, error) -> {
            if (error != null) {
                LOG.debug("plan index watch: the resumed page's ids were not read: {}", error.toString());
                return; // its plans are counted once an update shows them
            }
            synchronized (this) {
                if (!closed && gen == generation) {
                    shown.seed(ids(page));
                }
            }
        });
    }

    /** Sends {@code plans}, then the replayed changes, then what the feed delivered meanwhile. */
    private void begin(
            int gen, ServerFrame.Plans frame, List<IndexChange> missed, Map.Entry<IndexPage, Map<String, Long>> first) {
        boolean restart = false;
        synchronized (this) {
            if (closed || gen != generation) {
                return;
            }
            sink.plans(frame);
            if (first != null) { // oldest first: the newest are the most recently shown
                List<IndexPage.Entry> entries = first.getKey().entries();
                for (int i = entries.size() - 1; i >= 0; i--) {
                    String plan = entries.get(i).planId();
                    shown.shown(plan, first.getValue().get(plan));
                }
            }
            epoch = frame.epoch();
            seq = frame.seq();
            following = true;
            List<IndexChange> pending = new ArrayList<>(missed);
            pending.addAll(buffer);
            buffer.clear();
            for (IndexChange change : pending) {
                if (!deliver(change)) {
                    restart = true;
                    break;
                }
            }
        }
        if (restart) {
            start(null);
        }
    }

    private void failed(int gen) {
        synchronized (this) {
            if (closed || gen != generation) {
                return;
            }
            closed = true;
        }
        counts.remove(this);
        unavailable();
    }

    private static List<String> ids(IndexPage page) {
        return page.entries().stream().map(IndexPage.Entry::planId).toList();
    }
}
