package io.stepcast.gateway.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a check walks every output and when it may skip the walk (the budget's timer is not used). */
class OutputBudgetWalkTest {

    private static final long MAX = 4L << 20;

    /** Outputs of one transport held in memory: pending bytes per output, a queued counter. */
    private static final class Outputs implements PendingOutputs<long[]> {
        final List<long[]> outputs = new ArrayList<>();
        long queued;
        boolean counted = true;
        int reads;
        final List<long[]> shed = new ArrayList<>();

        long[] add(long pending) {
            long[] o = {pending};
            outputs.add(o);
            return o;
        }

        /** What a transport does when it queues a frame: pending and the counter grow together. */
        void queue(long[] output, long bytes) {
            output[0] += bytes;
            queued += bytes;
        }

        @Override
        public String transport() {
            return "test";
        }

        @Override
        public long queuedTotal() {
            return counted ? queued : -1;
        }

        @Override
        public Iterable<long[]> outputs() {
            return outputs;
        }

        @Override
        public long pendingBytes(long[] output) {
            reads++;
            return output[0];
        }

        @Override
        public boolean isClosing(long[] output) {
            return shed.contains(output);
        }

        @Override
        public boolean shed(long[] output) {
            shed.add(output);
            return true;
        }

        @Override
        public void cut(long[] output) {}
    }

    private final Outputs outputs = new Outputs();
    private final OutputBudget budget = new OutputBudget(
            new OutputBudgetConfig(MAX, 50, Duration.ofSeconds(10), Duration.ofSeconds(10)),
            List.of(outputs),
            new SimpleMeterRegistry());

    @AfterEach
    void stop() {
        budget.stop();
    }

    private int walks(int checks) {
        int before = outputs.reads;
        for (int i = 0; i < checks; i++) {
            budget.check();
        }
        return (outputs.reads - before) / outputs.outputs.size();
    }

    @Test
    void skipsTheWalkWhileWhatWasQueuedSinceCannotBringTheTotalNearTheBudget() {
        for (int i = 0; i < 1000; i++) {
            outputs.add(100);
        }
        assertEquals(1, walks(1), "the first check walks");
        outputs.queue(outputs.outputs.get(0), 1000);
        assertEquals(0, walks(OutputBudget.MAX_SKIPS_IN_A_ROW), "100 KB pending + 1 KB queued of a 4 MiB budget");
        assertEquals(1, walks(1), "a walk at least every " + (OutputBudget.MAX_SKIPS_IN_A_ROW + 1) + " checks");
        assertEquals(100_000 + 1000, budget.pendingBytes());
    }

    @Test
    void walksAndShedsAsSoonAsWhatWasQueuedCouldPassTheBudget() {
        long[] stalled = outputs.add(0);
        outputs.add(10);
        walks(1);
        outputs.queue(stalled, MAX + 1);
        assertTrue(walks(1) > 0, "queued growth past half the budget: walk");
        assertEquals(List.of(stalled), outputs.shed, "over the budget: the stalled output is shed at once");
        assertTrue(walks(1) > 0, "while over the budget every check walks");
    }

    @Test
    void walksEveryCheckForATransportThatDoesNotCountWhatItQueues() {
        outputs.counted = false;
        outputs.add(1);
        assertEquals(3, walks(3));
        assertEquals(1, budget.pendingBytes());
    }

    @Test
    void aTransportThatDoesNotCountDoesNotMakeTheCountedOnesWalkAtEveryCheck() {
        Outputs uncounted = new Outputs();
        uncounted.counted = false;
        uncounted.add(7);
        OutputBudget both = new OutputBudget(
                new OutputBudgetConfig(MAX, 50, Duration.ofSeconds(10), Duration.ofSeconds(10)),
                List.of(outputs, uncounted),
                new SimpleMeterRegistry());
        try {
            outputs.add(100);
            both.check();
            int counted = outputs.reads;
            int other = uncounted.reads;
            for (int i = 0; i < OutputBudget.MAX_SKIPS_IN_A_ROW; i++) {
                both.check();
            }
            assertEquals(counted, outputs.reads, "the counted transport is not walked");
            assertEquals(other + OutputBudget.MAX_SKIPS_IN_A_ROW, uncounted.reads, "the other one at every check");
            assertEquals(107, both.pendingBytes());
        } finally {
            both.stop();
        }
    }
}
