package io.stepcast.gateway.hub;

import io.stepcast.gateway.redis.LogPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * A joiner's log page: the resume decision for a cursor (the Centrifugo-style check) and the replay
 * of the entries. Always called by {@link PlanChannel} with the channel's lock held; it has no state.
 */
final class JoinerReplay {

    private static final Logger LOG = LoggerFactory.getLogger(JoinerReplay.class);

    private JoinerReplay() {
    }

    static void apply(PlanChannel channel, Joiner j, LogPage page, Effects out) {
        List<LogPage.LogEntry> entries = page.entries();
        if (!j.started) {
            // first page of a cursor: same epoch, not ahead of the plan, and the log still covers it?
            Cursor c = j.cursor;
            boolean sameEpoch = c.epoch() == null ? c.seq() == 0 : c.epoch().equals(page.epoch());
            if (!sameEpoch || c.seq() > page.head() || !covers(entries, c.seq(), page.head())) {
                channel.resetJoiner(j, out);
                return;
            }
            if (!channel.consistent(page.epoch())) {
                channel.startResync(out); // the stream is behind an epoch change; the joiner is served after it
                return;
            }
            if (!channel.serve(j, page.epoch(), c.seq(), null, true, out)) {
                return;
            }
        } else {
            boolean sameEpoch = Objects.equals(page.epoch(), j.epoch) || (j.epoch == null && j.pos == 0);
            if (!sameEpoch || j.pos > page.head() || !covers(entries, j.pos, page.head())) {
                channel.resetJoiner(j, out); // trimmed or re-created while catching up: start over
                return;
            }
            j.epoch = page.epoch();
        }
        replay(channel, j, entries, page.head(), out);
    }

    /**
     * Offers {@code entries} (the rest of a page whose log head was {@code head}) as fast as the
     * subscriber takes them: when it is not {@link Subscriber#ready() ready}, the rest waits until it
     * is (at least one entry is offered per call, so a replay always moves on).
     */
    static void replay(PlanChannel channel, Joiner j, List<LogPage.LogEntry> entries, long head, Effects out) {
        int sent = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (sent > 0 && !j.subscriber.ready()) {
                channel.metricsDelivered(sent);
                channel.awaitClient(j, entries.subList(i, entries.size()), head, out);
                return;
            }
            LogPage.LogEntry e = entries.get(i);
            SharedFrame f = frame(channel.planId, e);
            if (f != null) {
                if (!channel.offer(j.subscriber, f)) {
                    channel.dropJoiner(j, out);
                    return;
                }
                sent++;
            }
            j.pos = e.seq();
        }
        channel.metricsDelivered(sent);
        if (j.pos < head && !entries.isEmpty()) {
            channel.readLogFor(j, out); // next page
        } else {
            channel.advance(j, out);
        }
    }

    /** True when {@code entries} continue right after {@code pos}, or nothing is missing. */
    private static boolean covers(List<LogPage.LogEntry> entries, long pos, long head) {
        return pos == head || (!entries.isEmpty() && entries.get(0).seq() == pos + 1);
    }

    /** A log entry as a frame; null (logged) when the stored bytes are not a frame of this plan. */
    static SharedFrame frame(String planId, LogPage.LogEntry entry) {
        try {
            SharedFrame f = Frames.parse(entry.frame());
            if (f.seq() == entry.seq() && f.planId().equals(planId)) {
                return f;
            }
            LOG.error("plan {}: log entry {} holds a frame of {}#{}; skipped", planId, entry.seq(), f.planId(), f.seq());
        } catch (IllegalArgumentException e) {
            LOG.error("plan {}: log entry {} is not an event frame ({}); skipped", planId, entry.seq(), e.getMessage());
        }
        return null;
    }
}
