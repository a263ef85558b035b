package io.stepcast.gateway.auth;

import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.token.PlanPatterns;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What one client may do, from the {@code plans} and {@code cmd} claims of its token.
 *
 * <p>{@code plans} holds exact plan ids ({@code p-42}) and prefix patterns ending in one {@code *}
 * ({@code team-a:*}; a lone {@code *} grants every plan). The matching rule is the bridge's
 * {@link PlanPatterns}, the one definition shared by token minting and verification. Entries that are
 * neither a valid plan id nor a valid prefix pattern grant nothing (they are dropped here, so a
 * malformed entry such as {@code .*} or {@code a*b} never widens access). A plan id that is not itself
 * valid ({@link RedisLayout#isValidPlanId}) is never granted, even by {@code *}.
 *
 * <p>Immutable and thread-safe.
 */
public final class PlanAccess {

    private static final PlanAccess UNRESTRICTED = new PlanAccess(List.of("*"), true);
    private static final PlanAccess NONE = new PlanAccess(List.of(), false);

    /** Valid entries only; never null. */
    private final List<String> entries;

    private final boolean commands;

    private PlanAccess(List<String> entries, boolean commands) {
        this.entries = List.copyOf(entries);
        this.commands = commands;
    }

    /**
     * @param plans    the {@code plans} claim; invalid entries and nulls are dropped
     * @param commands the {@code cmd} claim
     */
    public static PlanAccess of(Collection<String> plans, boolean commands) {
        Objects.requireNonNull(plans, "plans");
        List<String> valid = new ArrayList<>(plans.size());
        for (String entry : plans) {
            if (PlanPatterns.isValid(entry)) {
                valid.add(entry);
            }
        }
        return new PlanAccess(valid, commands);
    }

    /** Every plan, commands included: only for a gateway whose auth is switched off. */
    public static PlanAccess unrestricted() {
        return UNRESTRICTED;
    }

    /** No plan at all. */
    public static PlanAccess none() {
        return NONE;
    }

    /** True when the client may subscribe to, poll or stream {@code planId}. */
    public boolean canRead(String planId) {
        return RedisLayout.isValidPlanId(planId) && PlanPatterns.anyMatches(entries, planId);
    }

    /** True when the client may send commands to {@code planId}: {@code cmd} and read access. */
    public boolean canCommand(String planId) {
        return commands && canRead(planId);
    }

    /** The valid entries of the {@code plans} claim, in token order. */
    public List<String> entries() {
        return entries;
    }

    /** The {@code cmd} claim. */
    public boolean commands() {
        return commands;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlanAccess other && entries.equals(other.entries) && commands == other.commands;
    }

    @Override
    public int hashCode() {
        return entries.hashCode() * 31 + Boolean.hashCode(commands);
    }

    @Override
    public String toString() {
        return "PlanAccess[plans=" + entries + ", cmd=" + commands + "]";
    }
}
