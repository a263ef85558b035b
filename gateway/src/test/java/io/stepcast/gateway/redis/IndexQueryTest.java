package io.stepcast.gateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class IndexQueryTest {

    @Test
    void rangesIntersectTheRequestPrefixWithEachGrantsLiteralPrefix() {
        assertEquals(List.of("a"), IndexQuery.ranges("a", List.of("*")));
        assertEquals(List.of("team-a.5"), IndexQuery.ranges("team-a.5", List.of("team-a.*")));
        assertEquals(List.of("team-a."), IndexQuery.ranges("team-", List.of("team-a.*", "other.*")));
        assertEquals(List.of("p-1", "team-a."), IndexQuery.ranges("", List.of("team-a.x.*", "team-a.*", "p-1")));
    }

    @Test
    void noPrefixAndAGrantOfEveryPlanMeansNoRangeWhileNoMatchingGrantMeansAnEmptyOne() {
        assertNull(IndexQuery.ranges("", List.of("team-a.*", "*")));
        assertEquals(List.of(), IndexQuery.ranges("p-12", List.of("p-1")), "an exact id is not a prefix");
        assertEquals(List.of(), IndexQuery.ranges("", List.of()));
    }
}
