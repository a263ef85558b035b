package io.stepcast.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanAccessTest {

    @Test
    void exactIdGrantsThatPlanOnly() {
        PlanAccess access = PlanAccess.of(List.of("p-42"), false);
        assertTrue(access.canRead("p-42"));
        assertFalse(access.canRead("p-4"));
        assertFalse(access.canRead("p-421"));
        assertFalse(access.canRead("P-42"));
    }

    @Test
    void prefixPatternGrantsPlansStartingWithThePrefix() {
        PlanAccess access = PlanAccess.of(List.of("team-a:*"), false);
        assertTrue(access.canRead("team-a:1"));
        assertTrue(access.canRead("team-a:build.7"));
        assertFalse(access.canRead("team-a"));
        assertFalse(access.canRead("team-b:1"));
        assertFalse(access.canRead("xteam-a:1"));
    }

    @Test
    void loneStarGrantsEveryValidPlanButNoInvalidId() {
        PlanAccess access = PlanAccess.of(List.of("*"), false);
        assertTrue(access.canRead("anything"));
        assertTrue(access.canRead("a".repeat(128)));
        assertFalse(access.canRead("a".repeat(129)));
        assertFalse(access.canRead("{p}"));
        assertFalse(access.canRead("p 1"));
        assertFalse(access.canRead(""));
        assertFalse(access.canRead(null));
    }

    @Test
    void emptyListGrantsNothing() {
        PlanAccess access = PlanAccess.of(List.of(), true);
        assertFalse(access.canRead("p-1"));
        assertFalse(access.canCommand("p-1"));
    }

    @Test
    void malformedEntriesNeverWidenAccess() {
        PlanAccess access = PlanAccess.of(
                Arrays.asList(".*", "a*b", "p*x*", "**", "p 1", "{p}*", "", null, "p-1|p-2", "^p", "p-(.*)", "*p"),
                false);
        assertEquals(List.of(), access.entries());
        for (String plan : List.of("p-1", "p-2", "a", "ab", "px", "p", "x")) {
            assertFalse(access.canRead(plan), plan);
        }
    }

    @Test
    void regexMetacharactersAreLiteral() {
        PlanAccess access = PlanAccess.of(List.of("a.b*"), false);
        assertTrue(access.canRead("a.b-1"));
        assertFalse(access.canRead("axb-1"));
    }

    @Test
    void validEntriesSurviveNextToMalformedOnes() {
        PlanAccess access = PlanAccess.of(List.of("{bad}", "p-1", "q:*"), true);
        assertEquals(List.of("p-1", "q:*"), access.entries());
        assertTrue(access.canRead("p-1"));
        assertTrue(access.canRead("q:9"));
    }

    @Test
    void commandsNeedTheCmdClaimAndReadAccess() {
        PlanAccess withCmd = PlanAccess.of(List.of("p-*"), true);
        assertTrue(withCmd.canCommand("p-1"));
        assertFalse(withCmd.canCommand("q-1"));
        PlanAccess withoutCmd = PlanAccess.of(List.of("p-*"), false);
        assertTrue(withoutCmd.canRead("p-1"));
        assertFalse(withoutCmd.canCommand("p-1"));
    }

    @Test
    void unrestrictedAccessIsForAuthOffOnly() {
        assertTrue(PlanAccess.unrestricted().canRead("p-1"));
        assertTrue(PlanAccess.unrestricted().canCommand("p-1"));
        assertFalse(PlanAccess.unrestricted().canRead("bad id"));
        assertFalse(PlanAccess.none().canRead("p-1"));
    }
}
