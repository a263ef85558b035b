package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepcast.gateway.hub.HubFailure;
import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.hub.SharedFrame;
import io.stepcast.gateway.hub.SubscribeResult;
import io.stepcast.gateway.hub.Subscriber;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.redis.PlanSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class HubMembershipTest {

    /** A hub that records calls and can end the request from inside subscribe (a synchronous answer). */
    private static final class RecordingHub implements PlanHub {
        final List<String> calls = new ArrayList<>();
        Runnable duringSubscribe = () -> {};
        boolean refuse;

        @Override
        public void subscribe(Subscriber subscriber, String planId, Cursor cursor) {
            calls.add("subscribe on " + Thread.currentThread().getName());
            if (refuse) {
                throw new IllegalStateException("no hub");
            }
            duringSubscribe.run();
        }

        @Override
        public void unsubscribe(Subscriber subscriber, String planId) {
            calls.add("unsubscribe on " + Thread.currentThread().getName());
        }

        @Override
        public void unsubscribeAll(Subscriber subscriber) {}

        @Override
        public int activePlans() {
            return 0;
        }

        @Override
        public int activeSubscriptions() {
            return 0;
        }

        @Override
        public Map<String, Integer> subscriptionsByPlan() {
            return Map.of();
        }
    }

    private final RecordingHub hub = new RecordingHub();
    private final List<Runnable> handedOff = new ArrayList<>();
    private final Executor executor = handedOff::add;
    private final HubMembership membership = new HubMembership(hub, executor, new NoSubscriber(), "p");
    private final String me = Thread.currentThread().getName();

    @Test
    void aRequestThatEndsAfterJoiningLeavesOnTheExecutorOnce() {
        membership.join(null, message -> {});
        membership.leave();
        membership.leave();
        assertEquals(List.of("subscribe on " + me), hub.calls);
        assertEquals(1, handedOff.size());
        handedOff.get(0).run();
        assertEquals(List.of("subscribe on " + me, "unsubscribe on " + me), hub.calls);
    }

    @Test
    void aRequestThatEndsWhileSubscribeRunsLeavesRightAfterItOnTheSubscribingThread() {
        hub.duringSubscribe = membership::leave; // e.g. a long-poll answered by a synchronous onSubscribed
        membership.join(null, message -> {});
        assertEquals(List.of("subscribe on " + me, "unsubscribe on " + me), hub.calls);
        assertEquals(List.of(), handedOff, "never handed off from inside a hub callback");
    }

    @Test
    void aRefusedSubscribeIsReportedAndStillLeavesOnce() {
        hub.refuse = true;
        List<String> reported = new ArrayList<>();
        membership.join(null, message -> {
            reported.add(message);
            membership.leave();
        });
        assertEquals(List.of("could not subscribe: no hub"), reported);
        assertEquals(2, hub.calls.size());
        assertEquals(List.of(), handedOff);
    }

    private static final class NoSubscriber implements Subscriber {
        @Override
        public String id() {
            return "test";
        }

        @Override
        public void onSubscribed(SubscribeResult result) {}

        @Override
        public void onSnapshot(String planId, PlanSnapshot snapshot) {}

        @Override
        public boolean onEvent(SharedFrame frame) {
            return true;
        }

        @Override
        public void onFailed(String planId, HubFailure failure) {}

        @Override
        public void onDropped(String planId) {}
    }
}
