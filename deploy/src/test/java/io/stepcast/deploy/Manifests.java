package io.stepcast.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reading deploy/'s manifests: YAML documents, Dockerfiles and nginx configs (as text). */
final class Manifests {

    private Manifests() {}

    static Path deployDir() {
        return SystemTools.repoRoot().resolve("deploy");
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document of a file (merge keys resolved). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocs(Path file) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text(file))) {
            if (doc instanceof Map<?, ?> m) {
                out.add((Map<String, Object>) m);
            }
        }
        return out;
    }

    static Map<String, Object> yaml(Path file) {
        List<Map<String, Object>> docs = yamlDocs(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + ": expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    /** Walks a YAML tree: keys for maps, numbers for lists; null when absent. */
    static Object at(Object node, Object... path) {
        Object cur = node;
        for (Object step : path) {
            if (cur instanceof Map<?, ?> m) {
                cur = m.get(step);
            } else if (cur instanceof List<?> l && step instanceof Integer i) {
                cur = i < l.size() ? l.get(i) : null;
            } else {
                return null;
            }
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, Object... path) {
        Object o = at(node, path);
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, Object... path) {
        Object o = at(node, path);
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static String str(Object node, Object... path) {
        Object o = at(node, path);
        return o == null ? null : String.valueOf(o);
    }

    /** A Kubernetes/Knative container's env list as name → value (valueFrom entries map to "valueFrom"). */
    static Map<String, String> containerEnv(Object container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : list(container, "env")) {
            Object value = at(e, "value");
            env.put(str(e, "name"), value != null ? String.valueOf(value) : "valueFrom");
        }
        return env;
    }

    /** A compose service's environment, map or list form. */
    static Map<String, String> composeEnv(Object service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object e = at(service, "environment");
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
        } else if (e instanceof List<?> l) {
            for (Object item : l) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** One Dockerfile instruction (continuations joined, comments dropped). */
    record Instruction(String keyword, String args) {}

    static List<Instruction> dockerfile(Path file) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String raw : text(file).split("\n")) {
            String line = raw.strip();
            if (cur.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                cur.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            cur.append(line);
            String joined = cur.toString().strip();
            cur.setLength(0);
            int sp = joined.indexOf(' ');
            out.add(new Instruction(
                    joined.substring(0, sp).toUpperCase(Locale.ROOT),
                    joined.substring(sp + 1).strip()));
        }
        return out;
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

    /** The ENV variables of a Dockerfile's last stage. */
    static Map<String, String> dockerEnv(List<Instruction> instructions) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : lastStage(instructions)) {
            if (i.keyword().equals("ENV")) {
                Matcher m = ENV_PAIR.matcher(i.args());
                while (m.find()) {
                    String v = m.group(2);
                    env.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
                }
            }
        }
        return env;
    }

    static List<Instruction> lastStage(List<Instruction> instructions) {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }

    static List<String> all(List<Instruction> instructions, String keyword) {
        return instructions.stream()
                .filter(i -> i.keyword().equals(keyword))
                .map(Instruction::args)
                .toList();
    }

    /** The block of an nginx config that starts at the first match of {@code header} (braces balanced). */
    static String nginxBlock(String conf, String header) {
        int start = conf.indexOf(header);
        if (start < 0) {
            return "";
        }
        int open = conf.indexOf('{', start);
        int depth = 0;
        for (int i = open; i < conf.length(); i++) {
            char c = conf.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return conf.substring(start, i + 1);
            }
        }
        return conf.substring(start);
    }

    /** Strips nginx comments. */
    static String nginxNoComments(String conf) {
        return conf.replaceAll("(?m)#.*$", "");
    }
}
