package io.stepcast.bridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** {@code CLUSTER NODES} of one node, parsed: test infrastructure for {@link TestRedisCluster}. */
public final class ClusterNodes {

    /** One line of {@code CLUSTER NODES}. */
    public record Node(
            String id,
            int port,
            boolean master,
            boolean connected,
            boolean failing,
            String masterId,
            List<int[]> slots,
            String role) {

        /** True when this node lists {@code slot} as its own. */
        public boolean serves(int slot) {
            for (int[] range : slots) {
                if (slot >= range[0] && slot <= range[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    private ClusterNodes() {}

    /** {@code host:port} of the first seed of {@code redis[s]://[user:pw@]h1:p1,h2:p2}. */
    public static String firstSeed(String seedUri) {
        String rest = seedUri.substring(seedUri.indexOf("://") + 3);
        rest = rest.substring(rest.lastIndexOf('@') + 1);
        int comma = rest.indexOf(',');
        String first = comma < 0 ? rest : rest.substring(0, comma);
        int slash = first.indexOf('/');
        return slash < 0 ? first : first.substring(0, slash);
    }

    /** Reads {@code CLUSTER NODES} from {@code host:port}. */
    public static List<Node> read(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            String text = String.valueOf(Resp.call(
                    hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1)),
                    2_000,
                    "CLUSTER",
                    "NODES"));
            return parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException("CLUSTER NODES on " + hostPort, e);
        }
    }

    /** The port of a healthy replica of the master on {@code masterPort}, as the node on {@code hostPort} sees it. */
    public static int replicaOf(String hostPort, int masterPort) {
        List<Node> nodes = read(hostPort);
        String id = nodes.stream()
                .filter(n -> n.port() == masterPort)
                .findFirst()
                .orElseThrow()
                .id();
        return nodes.stream()
                .filter(n -> id.equals(n.masterId()) && !n.failing())
                .findFirst()
                .orElseThrow()
                .port();
    }

    /** Parses the text of {@code CLUSTER NODES}. */
    public static List<Node> parse(String text) {
        List<Node> nodes = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 8) {
                continue;
            }
            String address = f[1];
            int at = address.indexOf('@');
            String hostPort = at < 0 ? address : address.substring(0, at);
            int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
            String flags = f[2];
            List<int[]> slots = new ArrayList<>();
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue; // migrating / importing marker
                }
                int dash = f[i].indexOf('-');
                int from = Integer.parseInt(dash < 0 ? f[i] : f[i].substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(f[i].substring(dash + 1));
                slots.add(new int[] {from, to});
            }
            String role = flags.contains("master") ? "master" : flags.contains("slave") ? "replica" : null;
            boolean replicaOfNone = "replica".equals(role) && "-".equals(f[3]);
            nodes.add(new Node(
                    f[0],
                    port,
                    flags.contains("master"),
                    f[7].equals("connected"),
                    flags.contains("fail"),
                    f[3],
                    slots,
                    replicaOfNone ? null : role));
        }
        return nodes;
    }

    /** A canonical "slot range → port" text of the masters' slots, to compare views of nodes. */
    static String slotOwners(List<Node> nodes) {
        TreeMap<Integer, String> owners = new TreeMap<>();
        for (Node n : nodes) {
            if (n.master()) {
                for (int[] r : n.slots()) {
                    owners.put(r[0], r[0] + "-" + r[1] + "@" + n.port());
                }
            }
        }
        return String.join(",", owners.values());
    }
}
