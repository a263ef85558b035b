package io.stepcast.deploy.loadtest.client;

/**
 * The publisher's view of one plan (or Socket.IO room): the last sequence number issued and the
 * range of seqs whose latency is measured. Written by the publishing thread, read by the client
 * event loops.
 */
public final class PublishedPlan {

    private final String plan;
    private volatile long issued;
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureTo = Long.MAX_VALUE;
    private volatile String epoch;

    public PublishedPlan(String plan) {
        this.plan = plan;
    }

    public String plan() {
        return plan;
    }

    /** Last seq handed to the publisher (events are numbered 1, 2, … per plan, without holes). */
    public long issued() {
        return issued;
    }

    public long nextSeq() {
        return ++issued;
    }

    public void issued(long seq) {
        issued = seq;
    }

    public String epoch() {
        return epoch;
    }

    public void epoch(String e) {
        epoch = e;
    }

    /** Latency is recorded for seqs in [from, to]. */
    public void measure(long from, long to) {
        measureFrom = from;
        measureTo = to;
    }

    public boolean measured(long seq) {
        return seq >= measureFrom && seq <= measureTo;
    }
}
