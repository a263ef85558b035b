package io.stepcast.gateway.index;

import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.redis.IndexCursors;
import io.stepcast.gateway.redis.IndexPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code plans} frame that starts an index watch with a first page. */
final class PageFrame {

    private PageFrame() {}

    /** The {@code plans} frame of a page; a plan with a watcher count gets {@code "watchers":n} appended. */
    static ServerFrame.Plans of(IndexPage page, Map<String, Long> watchers) {
        List<byte[]> summaries = new ArrayList<>(page.entries().size());
        for (IndexPage.Entry e : page.entries()) {
            Long n = watchers.get(e.planId());
            byte[] summary = e.summary();
            if (n != null && summary.length > 1 && summary[summary.length - 1] == '}') {
                byte[] tail = (",\"watchers\":" + n + "}").getBytes(StandardCharsets.US_ASCII);
                byte[] with = new byte[summary.length - 1 + tail.length];
                System.arraycopy(summary, 0, with, 0, summary.length - 1);
                System.arraycopy(tail, 0, with, summary.length - 1, tail.length);
                summary = with;
            }
            summaries.add(summary);
        }
        String cursor = page.next() == null ? null : IndexCursors.encode(page.next());
        return new ServerFrame.Plans(page.epoch(), page.seq(), false, summaries, cursor);
    }
}
