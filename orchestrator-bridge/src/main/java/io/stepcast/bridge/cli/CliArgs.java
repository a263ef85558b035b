package io.stepcast.bridge.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plain option parsing: {@code --name value}, {@code --name=value} and boolean flags {@code --name}.
 * Options not declared by the subcommand are usage errors. Not thread-safe.
 */
final class CliArgs {

    /** A usage error: the CLI prints it with the usage text and exits with code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> flags = new HashSet<>();

    /**
     * @param args       the arguments after the subcommand
     * @param withValue  options that take a value
     * @param booleans   options that are flags
     */
    CliArgs(List<String> args, Set<String> withValue, Set<String> booleans) {
        List<String> rest = new ArrayList<>(args);
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (booleans.contains(name)) {
                if (value != null && !value.equals("true") && !value.equals("false")) {
                    throw new UsageException("--" + name + " is a flag (true/false), got " + value);
                }
                if (value == null || value.equals("true")) {
                    flags.add(name);
                }
            } else if (withValue.contains(name)) {
                if (value == null) {
                    if (i + 1 >= rest.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = rest.get(++i);
                }
                values.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    int integer(String name, int fallback, int min, int max) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be " + min + ".." + max + ", got " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got " + value);
        }
    }

    double number(String name, double fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got " + value);
        }
    }

    Duration duration(String name, Duration fallback) {
        String value = values.get(name);
        return value == null ? fallback : parseDuration(name, value);
    }

    /** {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}, or a number of seconds. */
    static Duration parseDuration(String name, String value) {
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            char unit = value.charAt(value.length() - 1);
            String number = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1);
            long n = Long.parseLong(number);
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException();
                    }
                    yield Duration.ofSeconds(n);
                }
            };
        } catch (RuntimeException e) {
            throw new UsageException("--" + name + " must be a duration like 500ms, 30s, 15m, 2h, 7d; got " + value);
        }
    }

    /** Comma-separated list, blanks dropped. */
    static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                items.add(s.trim());
            }
        }
        return items;
    }
}
