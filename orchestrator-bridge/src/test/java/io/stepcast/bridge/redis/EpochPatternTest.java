package io.stepcast.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.RedisLayout;
import org.junit.jupiter.api.Test;

class EpochPatternTest {

    @Test
    void everyEpochThePublisherDrawsMatchesTheOnePatternOfRedisLayout() {
        for (int i = 0; i < 1_000; i++) {
            String epoch = EncodedEvent.random(RedisLayout.EPOCH_LENGTH);
            assertTrue(RedisLayout.isValidEpoch(epoch), epoch);
        }
    }

    @Test
    void anythingElseIsNotAnEpoch() {
        for (String s :
                new String[] {null, "", "abc", "ABCDEFGHIJKL", "abcdefabcde-", "abcdefabcdef0", "has space000"}) {
            assertFalse(RedisLayout.isValidEpoch(s), String.valueOf(s));
        }
    }
}
