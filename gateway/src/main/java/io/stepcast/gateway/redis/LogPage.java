package io.stepcast.gateway.redis;

import java.util.List;

/**
 * One page of a plan's log, read atomically with the plan's meta.
 *
 * @param epoch   the plan's epoch, or {@code null} when the plan has no meta (no events, or expired)
 * @param head    the plan's last assigned seq at the time of the read (0 without meta)
 * @param entries the entries after the requested seq, in seq order, at most the requested count; an
 *                empty list or a first entry beyond {@code after + 1} means the log no longer covers
 *                the requested position (trimmed or expired) unless {@code head == after}
 */
public record LogPage(String epoch, long head, List<LogEntry> entries) {

    /** One log entry: the event frame stored under id {@code <seq>-0}. Do not modify {@code frame}. */
    public record LogEntry(long seq, byte[] frame) {}
}
