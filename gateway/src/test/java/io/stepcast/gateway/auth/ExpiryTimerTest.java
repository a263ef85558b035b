package io.stepcast.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-event-loop token expiry on Netty's embedded event loop, with its wall clock driven by the test. */
class ExpiryTimerTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final long start = 1_800_000_000_000L;
    private long elapsedMillis;
    private final ExpiryTimer timer = new ExpiryTimer(channel.eventLoop(), () -> start + elapsedMillis);
    private final List<String> expired = new ArrayList<>();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private SessionAuth session(String name, long expiresInSeconds) {
        SessionAuth auth = new SessionAuth(principal(expiresInSeconds));
        auth.scheduleExpiry(timer, () -> expired.add(name));
        return auth;
    }

    private ClientPrincipal principal(long expiresInSeconds) {
        return new ClientPrincipal(
                "alice", PlanAccess.of(List.of("p-*"), false), Instant.ofEpochMilli(start + expiresInSeconds * 1000));
    }

    /** Advances the loop and the timer's clock together, one second at a time. */
    private void advance(int seconds) {
        for (int i = 0; i < seconds; i++) {
            elapsedMillis += 1000;
            channel.advanceTimeBy(1, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
            channel.runPendingTasks();
        }
    }

    @Test
    void eachSessionExpiresWhenItsTokenDoesNotBefore() {
        session("a", 3);
        session("b", 3);
        session("c", 5);
        advance(2);
        assertEquals(List.of(), expired);
        advance(1);
        assertEquals(List.of("a", "b"), expired.stream().sorted().toList());
        advance(1);
        assertEquals(2, expired.size());
        advance(1);
        assertEquals(List.of("a", "b", "c"), expired.stream().sorted().toList());
        assertEquals(0, timer.size());
    }

    @Test
    void anEarlierTokenFiledLaterStillExpiresOnTime() {
        session("late", 10);
        advance(1);
        session("early", 2);
        advance(2);
        assertEquals(List.of("early"), expired);
        advance(7);
        assertEquals(List.of("early", "late"), expired);
    }

    @Test
    void aCancelledSessionNeverExpiresAndOthersInItsBucketStillDo() {
        SessionAuth a = session("a", 2);
        SessionAuth b = session("b", 2);
        SessionAuth c = session("c", 2);
        b.cancel();
        a.cancel();
        a.cancel(); // idempotent
        assertEquals(1, timer.size());
        advance(3);
        assertEquals(List.of("c"), expired);
        c.cancel(); // after expiry: nothing left to do
        assertEquals(0, timer.size());
    }

    @Test
    void aRefreshedTokenMovesTheExpiry() {
        SessionAuth a = session("a", 2);
        a.replace(principal(6));
        advance(5);
        assertEquals(List.of(), expired);
        advance(1);
        assertEquals(List.of("a"), expired);
    }

    @Test
    void anAlreadyExpiredTokenExpiresAtTheNextRun() {
        session("gone", -5);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
        assertEquals(List.of("gone"), expired);
    }

    @Test
    void aCallbackThatCancelsAnotherSessionOfItsBucketIsHonoured() {
        List<SessionAuth> both = new ArrayList<>();
        SessionAuth first = new SessionAuth(principal(2));
        SessionAuth second = new SessionAuth(principal(2));
        both.add(first);
        both.add(second);
        // filed in this order: the bucket runs the last filed first
        first.scheduleExpiry(timer, () -> expired.add("first"));
        second.scheduleExpiry(timer, () -> {
            expired.add("second");
            both.get(0).cancel();
        });
        advance(2);
        assertEquals(List.of("second"), expired);
        assertEquals(0, timer.size());
    }

    @Test
    void aFailingCallbackDoesNotStopTheOthers() {
        SessionAuth bad = new SessionAuth(principal(1));
        bad.scheduleExpiry(timer, () -> {
            throw new IllegalStateException("boom");
        });
        session("ok", 1);
        advance(1);
        assertEquals(List.of("ok"), expired);
    }
}
