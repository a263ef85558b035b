package io.stepcast.gateway.http;

import io.stepcast.gateway.hub.SharedFrame;
import io.stepcast.gateway.protocol.EventFilter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON page of a long-poll answer, assembled from the frames' bytes without re-encoding them:
 *
 * <pre>
 * {"type":"events","plan_id":"p-42","epoch":"x9f3k2ab01cd","seq":19,"recovered":true,"more":false,
 *  "next":"/api/plans/p-42/events?since=19&amp;epoch=x9f3k2ab01cd",
 *  "events":[{"type":"event",...,"seq":18,...},{"type":"event",...,"seq":19,...}]}
 * </pre>
 *
 * A reset ({@code recovered:false}) carries the plan's snapshot in {@code snapshot} ({@code null} for a
 * plan without events) and no events; {@code seq}/{@code epoch} are then the snapshot's position.
 * Plan ids and epochs match patterns without characters that need JSON escaping, so they are spliced
 * verbatim.
 */
final class EventsPage {

    private EventsPage() {}

    /**
     * A page of events (possibly empty) continuing the client's cursor. With a filter, {@code seq}
     * also covers the events it filtered out, and {@code next} carries it on.
     */
    static byte[] events(
            String planId, String epoch, long seq, boolean more, List<SharedFrame> frames, EventFilter filter) {
        return raw(
                planId,
                epoch,
                seq,
                more,
                frames.stream().map(SharedFrame::bytes).toList(),
                filter);
    }

    /** A page of events given as their frames' bytes. */
    static byte[] raw(String planId, String epoch, long seq, boolean more, List<byte[]> frames, EventFilter filter) {
        int size = 200 + planId.length() * 2;
        for (byte[] f : frames) {
            size += f.length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        head(out, planId, epoch, seq, true, more, filter);
        ascii(out, ",\"events\":[");
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(frames.get(i));
        }
        ascii(out, "]}");
        return out.toByteArray();
    }

    /** A reset: the snapshot replaces the client's state; events continue after {@code seq}. */
    static byte[] reset(String planId, String epoch, long seq, byte[] snapshot, EventFilter filter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(220 + (snapshot == null ? 4 : snapshot.length));
        head(out, planId, epoch, seq, false, false, filter);
        ascii(out, ",\"snapshot\":");
        if (snapshot == null) {
            ascii(out, "null");
        } else {
            out.writeBytes(snapshot);
        }
        ascii(out, ",\"events\":[]}");
        return out.toByteArray();
    }

    /**
     * The relative URL that continues after {@code seq} of {@code epoch}, with the filter (its
     * entries need no URL escaping: {@code [a-z0-9_.:-]}, {@code *} and commas).
     */
    static String next(String planId, String epoch, long seq, EventFilter filter) {
        return "/api/plans/" + planId + "/events?since=" + seq + (epoch == null ? "" : "&epoch=" + epoch)
                + (filter == null ? "" : "&events=" + filter.toQuery());
    }

    private static void head(
            ByteArrayOutputStream out,
            String planId,
            String epoch,
            long seq,
            boolean recovered,
            boolean more,
            EventFilter filter) {
        ascii(out, "{\"type\":\"events\",\"plan_id\":\"");
        ascii(out, planId);
        ascii(out, "\",\"epoch\":");
        ascii(out, epoch == null ? "null" : "\"" + epoch + "\"");
        ascii(out, ",\"seq\":" + seq + ",\"recovered\":" + recovered + ",\"more\":" + more + ",\"next\":\"");
        ascii(out, next(planId, epoch, seq, filter));
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
