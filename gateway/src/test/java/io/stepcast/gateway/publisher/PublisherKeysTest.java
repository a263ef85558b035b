package io.stepcast.gateway.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublisherKeysTest {

    private static final String KEY_A = "publisher-key-a-0123456789abcdef";
    private static final String KEY_B = "publisher-key-b-0123456789abcdef";

    @Test
    void matchingKeyYieldsItsFingerprintNeverTheKey() {
        PublisherKeys keys = new PublisherKeys(List.of(KEY_A, KEY_B));
        Optional<String> match = keys.match(KEY_B);
        assertEquals(Optional.of(PublisherKeys.fingerprintOf(KEY_B)), match);
        assertEquals(8, match.get().length());
        assertFalse(match.get().contains("publisher"));
        assertFalse(keys.toString().contains(KEY_A));
    }

    @Test
    void nearMissesAndEmptyInputMatchNothing() {
        PublisherKeys keys = new PublisherKeys(List.of(KEY_A));
        assertTrue(keys.match(KEY_A.substring(1)).isEmpty());
        assertTrue(keys.match(KEY_A + " ").isEmpty());
        assertTrue(keys.match("").isEmpty());
        assertTrue(keys.match(null).isEmpty());
    }

    @Test
    void noConfiguredKeyAcceptsNothing() {
        PublisherKeys keys = new PublisherKeys(List.of());
        assertTrue(keys.isEmpty());
        assertTrue(keys.match(KEY_A).isEmpty());
    }
}
