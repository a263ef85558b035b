package io.stepcast.gateway.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.gateway.presence.ShareLedger.Mode;
import io.stepcast.gateway.presence.ShareLedger.Request;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShareLedgerTest {

    @Test
    void registersTheFullCountsFirstThenSendsOnlyChanges() {
        ShareLedger ledger = new ShareLedger();
        Request first = ledger.next(Map.of("a", 2, "b", 1), 3);
        assertEquals(Mode.FULL, first.mode());
        assertEquals(Map.of("a", 2L, "b", 1L, ShareLedger.CONNECTIONS, 3L), first.fields());
        ledger.applied(first);
        assertTrue(ledger.registered());

        Request second = ledger.next(Map.of("a", 3, "c", 1), 3);
        assertEquals(Mode.DELTA, second.mode());
        assertEquals(first.version(), second.expected());
        assertEquals(Map.of("a", 1L, "b", -1L, "c", 1L), second.fields());
    }

    @Test
    void keepsChangesOfFailedHeartbeatsUntilOneIsApplied() {
        ShareLedger ledger = new ShareLedger();
        ledger.applied(ledger.next(Map.of("a", 1), 1));
        ledger.next(Map.of("a", 2), 2); // failed: never applied
        Request later = ledger.next(Map.of("a", 4), 1);
        assertEquals(Map.of("a", 3L), later.fields());
        ledger.applied(later);
        assertEquals(Map.of(), ledger.next(Map.of("a", 4), 1).fields());
    }

    @Test
    void reRegistersTheFullCountsAfterARefusal() {
        ShareLedger ledger = new ShareLedger();
        ledger.applied(ledger.next(Map.of("a", 1), 1));
        ledger.refused();
        assertFalse(ledger.registered());
        Request again = ledger.next(Map.of("a", 2), 1);
        assertEquals(Mode.FULL, again.mode());
        assertEquals(Map.of("a", 2L, ShareLedger.CONNECTIONS, 1L), again.fields());
    }

    @Test
    void leavingUnregisters() {
        ShareLedger ledger = new ShareLedger();
        ledger.applied(ledger.next(Map.of("a", 1), 1));
        ledger.applied(ledger.leave());
        assertFalse(ledger.registered());
        assertEquals(Mode.FULL, ledger.next(Map.of(), 0).mode());
    }
}
