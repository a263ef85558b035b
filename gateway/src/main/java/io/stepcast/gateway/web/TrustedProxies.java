package io.stepcast.gateway.web;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A set of IP addresses and CIDR ranges (IPv4 and IPv6) of proxies trusted to report the client
 * address. Parsing never resolves names: entries must be address literals. Immutable, thread-safe.
 */
public final class TrustedProxies {

    private final List<byte[]> networks;
    private final int[] prefixes;

    private TrustedProxies(List<byte[]> networks, int[] prefixes) {
        this.networks = networks;
        this.prefixes = prefixes;
    }

    /**
     * Parses entries like {@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code fc00::/7}; blank entries are
     * skipped, {@code none} alone means no proxy.
     *
     * @throws IllegalArgumentException naming the first invalid entry
     */
    public static TrustedProxies parse(List<String> entries) {
        List<byte[]> nets = new ArrayList<>();
        List<Integer> bits = new ArrayList<>();
        for (String raw : entries) {
            String e = raw == null ? "" : raw.trim();
            if (e.isEmpty() || e.toLowerCase(Locale.ROOT).equals("none")) {
                continue;
            }
            int slash = e.indexOf('/');
            byte[] address = bytes(slash < 0 ? e : e.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("not an IP address or CIDR range: '" + e + "'");
            }
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException ex) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in '" + e + "'");
                }
            }
            nets.add(address);
            bits.add(prefix);
        }
        return new TrustedProxies(
                List.copyOf(nets), bits.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The address bytes of an IP literal (IPv4-mapped IPv6 as IPv4), or null when it is none. */
    static byte[] bytes(String literal) {
        byte[] b = NetUtil.createByteArrayFromIpAddressString(literal);
        if (b != null && b.length == 16 && isV4Mapped(b)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        return b;
    }

    /** True when the address lies in one of the ranges. */
    public boolean contains(byte[] address) {
        for (int i = 0; i < networks.size(); i++) {
            byte[] net = networks.get(i);
            if (net.length == address.length && samePrefix(net, address, prefixes[i])) {
                return true;
            }
        }
        return false;
    }

    /** True when no proxy is trusted. */
    public boolean isEmpty() {
        return networks.isEmpty();
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (a[full] & mask) == (b[full] & mask);
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
