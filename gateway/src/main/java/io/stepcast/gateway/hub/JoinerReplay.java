package io.stepcast.gateway.hub;

import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.redis.LogPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

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
            if (!c.continuedBy(page)) {
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
            if (!new Cursor(j.epoch, j.pos).continuedBy(page)) {
                channel.resetJoiner(j, out); // trimmed or re-created while catching up: start over
                return;
            }
            j.epoch = page.epoch();
        }
        int sent = 0;
        for (LogPage.LogEntry e : entries) {
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
        if (j.pos < page.head() && !entries.isEmpty()) {
            channel.readLogFor(j, out); // next page
        } else {
            channel.advance(j, out);
        }
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
