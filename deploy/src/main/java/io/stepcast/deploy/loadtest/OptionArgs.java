package io.stepcast.deploy.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's command line as words: scenario names and {@code --name value} pairs, read with a
 * type and a default each. It rejects, with the usage text, {@code --help}, an option without a value,
 * an unknown scenario and an unknown option name; a value that does not parse fails with the parser's
 * exception. Which names and scenarios exist is {@link LoadOptions}'s business; this only reads them.
 *
 * <p>Immutable after {@link #parse}; not shared between threads.
 */
final class OptionArgs {

    private final List<String> scenarios;
    private final Map<String, String> values;

    private OptionArgs(List<String> scenarios, Map<String, String> values) {
        this.scenarios = scenarios;
        this.values = values;
    }

    /** Splits {@code argv} into scenarios and options, checking both against what is known. */
    static OptionArgs parse(String[] argv, List<String> knownScenarios, Set<String> knownOptions, String usage) {
        List<String> scenarios = new ArrayList<>();
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException(usage);
            }
            if (a.startsWith("--")) {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException(a + " needs a value\n" + usage);
                }
                o.put(a.substring(2), argv[++i]);
            } else if (knownScenarios.contains(a)) {
                scenarios.add(a);
            } else {
                throw new IllegalArgumentException("unknown scenario '" + a + "'\n" + usage);
            }
        }
        for (String k : o.keySet()) {
            if (!knownOptions.contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k + "\n" + usage);
            }
        }
        return new OptionArgs(scenarios, o);
    }

    /** The scenarios named, in order (empty when none was). */
    List<String> scenarios() {
        return scenarios;
    }

    boolean has(String k) {
        return values.containsKey(k);
    }

    String text(String k, String d) {
        return values.getOrDefault(k, d);
    }

    int integer(String k, int d) {
        return values.containsKey(k) ? Integer.parseInt(values.get(k)) : d;
    }

    double decimal(String k, String d) {
        return Double.parseDouble(text(k, d));
    }

    boolean flag(String k, String d) {
        return Boolean.parseBoolean(text(k, d));
    }

    /** A value in seconds (fractions allowed), as a duration to the millisecond. */
    Duration seconds(String k, double d) {
        double s = values.containsKey(k) ? Double.parseDouble(values.get(k)) : d;
        return Duration.ofMillis((long) (s * 1000));
    }

    /** A comma-separated value: its trimmed, non-empty items. */
    List<String> list(String k, String d) {
        return Arrays.stream(text(k, d).split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    }

    /** A space-separated value: its words. */
    List<String> words(String k, String d) {
        return words(text(k, d));
    }

    /** A space-separated value of {@code NAME=value} words, in order. */
    Map<String, String> env(String k, String d) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String w : words(k, d)) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--" + k + " takes NAME=value words, got '" + w + "'");
            }
            env.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return env;
    }

    private static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
    }
}
