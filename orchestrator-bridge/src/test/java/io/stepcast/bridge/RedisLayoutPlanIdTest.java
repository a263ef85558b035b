package io.stepcast.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RedisLayoutPlanIdTest {

    @Test
    void theCharacterCheckAgreesWithThePlanIdPatternOnEveryCandidate() {
        String alphabet = "aZ09._:-{} /\u00e9\u0000~+";
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            int length = random.nextInt(i % 50 == 0 ? 140 : 6);
            StringBuilder b = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = b.toString();
            assertEquals(
                    RedisLayout.PLAN_ID.matcher(candidate).matches(),
                    RedisLayout.isValidPlanId(candidate),
                    () -> "plan id candidate '" + candidate + "'");
        }
    }

    @Test
    void theLengthLimitIs128Characters() {
        assertTrue(RedisLayout.isValidPlanId("a".repeat(128)));
        assertFalse(RedisLayout.isValidPlanId("a".repeat(129)));
        assertFalse(RedisLayout.isValidPlanId(""));
        assertFalse(RedisLayout.isValidPlanId(null));
        assertFalse(RedisLayout.isValidPlanId("-leading-dash"));
        assertTrue(RedisLayout.isValidPlanId("batch-7:step.2_a"));
    }
}
