package io.stepcast.gateway.redis;

import io.stepcast.bridge.command.CommandRecord;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous access to a plan's keys: snapshot, log, command stream.
 *
 * <p>Each read is one atomic Redis script over the plan's keys (they share a cluster hash tag), so the
 * meta ({@code epoch}, {@code seq}) returned with a snapshot or a log page is exactly the one that
 * snapshot or page belongs to, even while the bridge publishes.
 *
 * <p>Threading: never blocks; futures complete on a Redis I/O thread (callbacks must not block).
 * They complete exceptionally with {@link RedisUnavailableException} when Redis is down, slow
 * (command timeout) or answers with an error.
 */
public interface PlanStore {

    /** The plan's snapshot and the meta it corresponds to. */
    CompletableFuture<PlanSnapshot> snapshot(String planId);

    /**
     * Up to {@code limit} log entries with seq &gt; {@code afterSeq}, in order, with the plan's meta
     * at the time of the read.
     */
    CompletableFuture<LogPage> readLog(String planId, long afterSeq, int limit);

    /**
     * Up to {@code limit} entries of the plan index's change log ({@code <prefix>:{_plans}:log}) with
     * seq &gt; {@code afterSeq}, in order, with the index's meta at the time of the read: the index is
     * read like one more plan.
     */
    CompletableFuture<LogPage> readIndexLog(long afterSeq, int limit);

    /**
     * Appends a validated client command to the plan's command stream ({@code <prefix>:{plan}:commands},
     * fields as defined by the bridge's {@link CommandRecord}, capped and expiring as the bridge's
     * {@code CommandStream}) for the orchestrator; completes with the stream entry id. The
     * orchestrator's reply comes back as a direct message to {@code command.session()}.
     */
    CompletableFuture<String> appendCommand(String planId, CommandRecord command);
}
