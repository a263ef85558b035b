package io.stepcast.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.EventValidationException;
import io.stepcast.bridge.PublishRejectedException;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.event.PlanFailed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Invalid input fails the future before anything is sent (no Redis at this address). */
class PublisherValidationTest {

    private static final String NOWHERE = "redis://127.0.0.1:1";

    private static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isCompletedExceptionally(), "future should have failed immediately");
        return assertThrows(CompletionException.class, f::join).getCause();
    }

    @Test
    void invalidPlanIdNamesPlanId() {
        try (LettuceEventPublisher p = LettuceEventPublisher.create(NOWHERE)) {
            Throwable t = failure(p.publish("bad plan", new PlanFailed("x")));
            assertEquals(
                    "plan_id",
                    assertInstanceOf(EventValidationException.class, t).field());
            assertEquals(0, p.pendingEvents());
        }
    }

    @Test
    void oversizedDataNamesData() {
        try (LettuceEventPublisher p = LettuceEventPublisher.create(
                NOWHERE, BridgeConfig.builder().maxDataBytes(64).build())) {
            ObjectNode big = JsonNodeFactory.instance.objectNode().put("text", "x".repeat(100));
            Throwable t = failure(p.publish("p1", new CustomEvent("big", big)));
            EventValidationException e = assertInstanceOf(EventValidationException.class, t);
            assertEquals("data", e.field());
            assertTrue(e.getMessage().contains("64"), e.getMessage());
        }
    }

    @Test
    void emptyOrNullBatchesAreInvalid() {
        try (LettuceEventPublisher p = LettuceEventPublisher.create(NOWHERE)) {
            assertEquals("events", ((EventValidationException) failure(p.publishBatch("p1", List.of()))).field());
            assertEquals("event", ((EventValidationException) failure(p.publish("p1", null))).field());
        }
    }

    @Test
    void publishAfterCloseIsRejected() {
        LettuceEventPublisher p = LettuceEventPublisher.create(NOWHERE);
        p.close();
        assertInstanceOf(PublishRejectedException.class, failure(p.publish("p1", new PlanFailed("x"))));
    }

    @Test
    void batchLargerThanTheBufferIsRejected() {
        try (LettuceEventPublisher p = LettuceEventPublisher.create(
                NOWHERE, BridgeConfig.builder().retryBufferCapacity(2).build())) {
            Throwable t = failure(
                    p.publishBatch("p1", List.of(new PlanFailed("a"), new PlanFailed("b"), new PlanFailed("c"))));
            PublishRejectedException e = assertInstanceOf(PublishRejectedException.class, t);
            assertTrue(!e.mayHaveBeenPublished());
        }
    }

    @Test
    void backoffGrowsAndIsCapped() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(1000));
        for (int i = 0; i < 50; i++) {
            long first = policy.delayMillis(1);
            assertTrue(first >= 75 && first <= 125, "first delay " + first);
            long capped = policy.delayMillis(40);
            assertTrue(capped >= 750 && capped <= 1250, "capped delay " + capped);
        }
    }
}
