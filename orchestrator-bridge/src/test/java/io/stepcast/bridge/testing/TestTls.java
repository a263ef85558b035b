package io.stepcast.bridge.testing;

import io.stepcast.bridge.RedisTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Certificates for TLS tests, generated at test time with {@code openssl} into a temporary directory:
 * a CA, a server certificate signed by it (SAN {@code IP:127.0.0.1}, {@code DNS:localhost}; usable
 * as client certificate too, as redis-server's cluster bus and replication links need), a client
 * certificate signed by it, and a second, unrelated CA (the "wrong CA"). Keys are EC P-256, PKCS#8
 * PEM. Immutable once generated; {@link #generate()} per test class is cheap (well under a second).
 *
 * <p>{@link #assumeAvailable()} skips through {@link MissingTool} where openssl or a TLS-capable
 * {@code redis-server} (one that accepts {@code --tls-port}) is missing.
 */
public final class TestTls {

    private final Path dir;

    private TestTls(Path dir) {
        this.dir = dir;
    }

    /** Why TLS tests cannot run here, or empty. */
    public static Optional<String> missingTools() {
        if (!ClusterCommands.runs("openssl", "version")) {
            return Optional.of("no openssl on PATH (TLS tests generate their certificates with it)");
        }
        Optional<Path> server = RedisExecutables.onPath();
        if (server.isEmpty()) {
            return Optional.of("no redis-server on PATH (TLS tests need a redis-server built with TLS)");
        }
        String probe = probe(server.get());
        if (probe.contains("Bad directive") || probe.contains("not supported")) {
            return Optional.of("redis-server " + server.get() + " is built without TLS (rejects --tls-port): "
                    + probe.lines().reduce((a, b) -> b).orElse(""));
        }
        return Optional.empty();
    }

    /** Skips the calling test (printed, a failure in strict mode) unless TLS tests can run. */
    public static void assumeAvailable() {
        Optional<String> missing = missingTools();
        MissingTool.assumePresent(missing.isEmpty(), "openssl and redis-server with TLS", () -> missing.orElse(""));
    }

    /** Generates a CA, server and client certificates and an unrelated CA in a new temp directory. */
    public static TestTls generate() {
        try {
            Path dir = Files.createTempDirectory("stepcast-tls-");
            TestTls tls = new TestTls(dir);
            tls.ca("ca");
            tls.ca("other-ca");
            tls.leaf(
                    "server",
                    "127.0.0.1",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                            + "extendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n");
            tls.leaf("client", "stepcast-client", "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
            return tls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ca(String name) {
        key(name);
        openssl(
                "req",
                "-x509",
                "-new",
                "-key",
                file(name + ".key"),
                "-sha256",
                "-days",
                "2",
                "-subj",
                "/CN=stepcast-test-" + name,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-out",
                file(name + ".pem"));
    }

    private void leaf(String name, String cn, String extensions) throws IOException {
        key(name);
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("req", "-new", "-key", file(name + ".key"), "-subj", "/CN=" + cn, "-out", file(name + ".csr"));
        openssl(
                "x509",
                "-req",
                "-in",
                file(name + ".csr"),
                "-CA",
                file("ca.pem"),
                "-CAkey",
                file("ca.key"),
                "-CAcreateserial",
                "-days",
                "2",
                "-sha256",
                "-extfile",
                file(name + ".ext"),
                "-out",
                file(name + ".pem"));
    }

    private void key(String name) {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file(name + ".key"));
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private static void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        ClusterCommands.run(cmd, 30);
    }

    private static String probe(Path server) {
        try {
            Process p = new ProcessBuilder(
                            server.toString(),
                            "--port",
                            "0",
                            "--tls-port",
                            "1",
                            "--tls-cert-file",
                            "/nonexistent",
                            "--tls-key-file",
                            "/nonexistent",
                            "--tls-ca-cert-file",
                            "/nonexistent")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "Bad directive: cannot run " + server + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The CA certificate (PEM) that signed the server and client certificates. */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** An unrelated CA: a client trusting only it must refuse the server. */
    public Path otherCaFile() {
        return dir.resolve("other-ca.pem");
    }

    public Path serverCert() {
        return dir.resolve("server.pem");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** A client {@link RedisTls}: this CA, and the client certificate when {@code mutual}. */
    public RedisTls client(boolean mutual) {
        return mutual
                ? new RedisTls(caFile(), dir.resolve("client.pem"), dir.resolve("client.key"))
                : RedisTls.trusting(caFile());
    }

    /** redis-server arguments of a TLS listener on {@code tlsPort} with this server certificate. */
    public List<String> serverArgs(int tlsPort) {
        return List.of(
                "--tls-port",
                Integer.toString(tlsPort),
                "--tls-cert-file",
                serverCert().toString(),
                "--tls-key-file",
                serverKey().toString(),
                "--tls-ca-cert-file",
                caFile().toString());
    }
}
