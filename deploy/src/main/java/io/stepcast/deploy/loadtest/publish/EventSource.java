package io.stepcast.deploy.loadtest.publish;

import io.stepcast.deploy.loadtest.client.PublishedPlan;
import java.time.Duration;
import java.util.Collection;

/**
 * Where the benchmark's events enter Redis for one system under test: the bridge (Stepcast and the
 * raw Netty ceiling) or the Socket.IO Redis emitter's wire format (Socket.IO). Every event is a
 * {@code step_output} with a 100-byte chunk whose first 19 digits are the publish time.
 */
public interface EventSource extends AutoCloseable {

    /** Makes the plans exist (Stepcast: {@code plan_started}), so subscribers find an epoch. */
    void prepare(Collection<PublishedPlan> plans, Duration timeout) throws Exception;

    /**
     * Publishes the plan's next event ({@link PublishedPlan#nextSeq()}) stamped with {@code publishedRel}
     * (ns since the benchmark's time base). Asynchronous; never blocks the pacing thread.
     */
    void publish(PublishedPlan plan, long publishedRel);

    /** Waits until every publish so far has completed; returns false on timeout. */
    boolean awaitPublished(Duration timeout) throws InterruptedException;

    /** Publishes that failed, or whose seq differed from the one predicted (harness error). */
    long failures();

    @Override
    void close();

    /** The 100-byte chunk: 19-digit publish time, a space, filler. */
    static String chunk(long publishedRel) {
        String t = Long.toString(publishedRel);
        StringBuilder sb = new StringBuilder(100);
        sb.append("0".repeat(Math.max(0, 19 - t.length()))).append(t).append(' ');
        while (sb.length() < 100) {
            sb.append("[loadtest] step output line of a benchmark plan ");
        }
        sb.setLength(100);
        return sb.toString();
    }
}
