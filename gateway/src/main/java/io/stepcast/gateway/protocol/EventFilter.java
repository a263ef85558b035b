package io.stepcast.gateway.protocol;

import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The events a lighter subscription asks for: 1 to {@link #MAX_ENTRIES} entries, each an event name
 * ({@code step_status}) or a prefix ending in {@code *} ({@code plan_*}). Parsed from the WebSocket
 * {@code subscribe} member {@code events} (a JSON array) or the HTTP query parameter {@code events}
 * (a comma-separated list); an absent filter means every event.
 *
 * <p>Matching costs a set lookup plus one {@code startsWith} per prefix. Immutable, thread-safe.
 */
public final class EventFilter {

    /** Most entries one filter may hold. */
    public static final int MAX_ENTRIES = 32;

    /** An event name, as the publisher validates it. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");

    /** What a valid entry is, as error messages say it. */
    public static final String ENTRY_RULE =
            "each entry of events must be an event name (" + NAME.pattern() + ") or such a name followed by *";

    private final List<String> entries;
    private final Set<String> names;
    private final String[] prefixes;

    private EventFilter(List<String> entries, Set<String> names, List<String> prefixes) {
        this.entries = List.copyOf(entries);
        this.names = Set.copyOf(names);
        this.prefixes = prefixes.toArray(String[]::new);
    }

    /** The outcome of parsing a filter: {@link Ok} (with or without a filter) or {@link Invalid}. */
    public sealed interface Parse permits Ok, Invalid {}

    /** A valid request; {@code filter} null = none given (every event). */
    public record Ok(@Nullable EventFilter filter) implements Parse {}

    /** Not a filter: {@code field} is the member or parameter at fault, {@code message} says why. */
    public record Invalid(String field, String message) implements Parse {}

    /** The filter of a list of entries (the WebSocket {@code events} array); null = none given. */
    public static Parse of(@Nullable List<String> entries) {
        if (entries == null) {
            return new Ok(null);
        }
        if (entries.isEmpty()) {
            return new Invalid("events", "events must hold at least one entry (leave it out for every event)");
        }
        if (entries.size() > MAX_ENTRIES) {
            return new Invalid("events", "events holds at most " + MAX_ENTRIES + " entries");
        }
        Set<String> names = new LinkedHashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String e : entries) {
            if (e == null) {
                return new Invalid("events", ENTRY_RULE);
            }
            boolean prefix = e.endsWith("*");
            String name = prefix ? e.substring(0, e.length() - 1) : e;
            if (!NAME.matcher(name).matches()) {
                return new Invalid("events", ENTRY_RULE);
            }
            if (prefix) {
                if (!prefixes.contains(name)) {
                    prefixes.add(name);
                }
            } else {
                names.add(name);
            }
        }
        return new Ok(new EventFilter(entries, names, prefixes));
    }

    /** The filter of the HTTP query parameter {@code events} (comma-separated); null = absent. */
    public static Parse fromQuery(@Nullable String events) {
        if (events == null) {
            return new Ok(null);
        }
        if (events.isEmpty()) {
            return of(List.of());
        }
        if (events.length() > MAX_ENTRIES * 66) {
            return new Invalid("events", "events holds at most " + MAX_ENTRIES + " entries");
        }
        return of(Arrays.asList(events.split(",", -1)));
    }

    /** True when the subscription wants events of this name. */
    public boolean matches(String event) {
        if (names.contains(event)) {
            return true;
        }
        for (String p : prefixes) {
            if (event.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The entries as the client gave them. */
    public List<String> entries() {
        return entries;
    }

    /** The entries as the query parameter writes them (comma-separated). */
    public String toQuery() {
        return String.join(",", entries);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventFilter f && f.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "EventFilter" + entries;
    }
}
