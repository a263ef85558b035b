package io.stepcast.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.stepcast.bridge.testing.MissingTool;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.deploy.browser.GatewayProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * JWKS mode of the packaged gateway jar (the production artifact, as a process) against a key set
 * served by this test: RS256 and ES256 accepted, each key only for its declared algorithm, key
 * rotation with at most one rate-limited refetch, a failing or slow key-set URL that neither breaks
 * known keys nor costs a fetch (or a stack trace) per request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JwksPackagedJarIT {

    private static final Duration BOUND = Duration.ofSeconds(5);
    /** What the key-set URL does: serve, answer 500, drop the connection unanswered, or answer late. */
    enum Mode {
        SERVE,
        FAIL,
        DROP,
        SLOW
    }

    private static final AtomicReference<Mode> MODE = new AtomicReference<>(Mode.SERVE);
    private static final AtomicReference<JWKSet> SERVED = new AtomicReference<>();
    private static final AtomicInteger FETCHES = new AtomicInteger();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(BOUND).build();

    private static RSAKey rs256;
    private static ECKey es256;
    private static RSAKey rotated;
    private static HttpServer jwks;
    private static GatewayProcess gateway;
    private static Path log;

    @BeforeAll
    static void start() throws Exception {
        Path repo = SystemTools.repoRoot();
        Path jar = GatewayProcess.findJar(repo);
        if (jar == null) {
            throw MissingTool.skipClass(
                    "JwksPackagedJarIT",
                    "gateway jar",
                    "no gateway jar in gateway/target (run ./mvnw verify from the root)");
        }
        rs256 = new RSAKeyGenerator(2048)
                .keyID("rsa-1")
                .algorithm(JWSAlgorithm.RS256)
                .generate();
        es256 = new ECKeyGenerator(Curve.P_256)
                .keyID("ec-1")
                .algorithm(JWSAlgorithm.ES256)
                .generate();
        rotated = new RSAKeyGenerator(2048)
                .keyID("rsa-2")
                .algorithm(JWSAlgorithm.RS256)
                .generate();
        SERVED.set(new JWKSet(List.<JWK>of(rs256.toPublicJWK(), es256.toPublicJWK())));
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.setExecutor(Executors.newCachedThreadPool());
        jwks.createContext("/jwks.json", exchange -> {
            FETCHES.incrementAndGet();
            Mode mode = MODE.get();
            if (mode == Mode.DROP) {
                exchange.close(); // no status line: the gateway's client sees the connection end
                return;
            }
            try {
                if (mode == Mode.SLOW) {
                    Thread.sleep(30_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = mode == Mode.FAIL
                    ? "oops".getBytes(StandardCharsets.UTF_8)
                    : SERVED.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(mode == Mode.FAIL ? 500 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException e) {
                // the gateway gave up waiting: fine
            }
        });
        jwks.start();
        Path logs = Files.createDirectories(repo.resolve("deploy/target/jwks-it"));
        gateway = GatewayProcess.gateway(
                jar,
                GatewayProcess.freePort(),
                List.of(
                        "--stepcast.redis.uri=" + TestRedis.shared().uri(),
                        "--stepcast.auth.jwks-url=http://127.0.0.1:"
                                + jwks.getAddress().getPort() + "/jwks.json",
                        "--stepcast.auth.jwks.refresh=1s",
                        "--stepcast.auth.jwks.min-refetch-interval=3s",
                        "--stepcast.auth.jwks.fetch-timeout=20s",
                        "--stepcast.auth.jwks.grace=1h"),
                logs);
        gateway.start();
        try (Stream<Path> files = Files.list(logs)) {
            log = files.filter(p -> p.getFileName().toString().startsWith("gateway-"))
                    .max((a, b) ->
                            Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .orElseThrow();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    private static String token(JWK key, JWSAlgorithm alg) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("alice")
                .claim("plans", List.of("p-*"))
                .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .build();
        SignedJWT jwt =
                new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
        JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** The status of a plan read with this token: 404 (granted, no such plan) or 401. */
    private static int read(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/plans/p-jwks"))
                .timeout(BOUND)
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                        .timeout(BOUND)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void anonymousEndpointsWorkInJwksMode() throws Exception {
        assertEquals(200, get("/health/liveness").statusCode());
        assertEquals(200, get("/api/info").statusCode());
    }

    @Test
    @Order(2)
    void rs256AndEs256TokensAreAccepted() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> read(token(rs256, JWSAlgorithm.RS256)) == 404);
        assertEquals(404, read(token(es256, JWSAlgorithm.ES256)));
    }

    @Test
    @Order(3)
    void aKeyVerifiesOnlyForItsDeclaredAlgorithm() throws Exception {
        assertEquals(401, read(token(rs256, JWSAlgorithm.RS512)));
        assertEquals(401, read(token(rs256, JWSAlgorithm.PS256)));
        assertEquals(401, read(token(rs256, JWSAlgorithm.RS384)));
    }

    @Test
    @Order(4)
    void anUnknownKidTriggersAtMostOneRateLimitedRefetch() throws Exception {
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> true);
        int before = FETCHES.get();
        String unknown = token(rotated, JWSAlgorithm.RS256);
        for (int i = 0; i < 20; i++) {
            assertEquals(401, read(unknown));
        }
        assertTrue(FETCHES.get() - before <= 2, "fetches for 20 unknown-kid requests: " + (FETCHES.get() - before));
        SERVED.set(new JWKSet(List.<JWK>of(rs256.toPublicJWK(), es256.toPublicJWK(), rotated.toPublicJWK())));
        await().atMost(Duration.ofSeconds(30)).until(() -> read(unknown) == 404);
    }

    @Test
    @Order(5)
    void aFailingKeySetUrlKeepsTheLastGoodKeysWithoutAFetchOrAStackTracePerRequest() throws Exception {
        MODE.set(Mode.FAIL);
        String known = token(rs256, JWSAlgorithm.RS256);
        // a stale key set is refetched when a request uses it: keep asking until a fetch has failed
        await().atMost(Duration.ofSeconds(30)).until(() -> read(known) == 404 && logContains("answered 500"));
        int before = FETCHES.get();
        for (int i = 0; i < 50; i++) {
            assertEquals(404, read(known));
        }
        assertTrue(FETCHES.get() - before <= 2, "fetches for 50 requests while failing: " + (FETCHES.get() - before));
        String text = Files.readString(log);
        assertFalse(text.contains("\tat "), "a stack trace in the gateway log");
        assertFalse(text.contains("HttpClientRegistry"), "the Micronaut HTTP client is needed again");
        MODE.set(Mode.SERVE);
    }

    @Test
    @Order(6)
    void anUnreachableKeySetUrlKeepsTheLastGoodKeysWithoutAFetchOrAStackTracePerRequest() throws Exception {
        MODE.set(Mode.DROP);
        String known = token(es256, JWSAlgorithm.ES256);
        await().atMost(Duration.ofSeconds(30)).until(() -> read(known) == 404 && logContains("jwks.json failed: "));
        int before = FETCHES.get();
        for (int i = 0; i < 50; i++) {
            assertEquals(404, read(known));
        }
        assertTrue(
                FETCHES.get() - before <= 2, "fetches for 50 requests while unreachable: " + (FETCHES.get() - before));
        String text = Files.readString(log);
        assertFalse(text.contains("\tat "), "a stack trace in the gateway log");
        assertFalse(text.contains("failed: CompletionException"), "the WARN line names the wrapper, not the failure");
        MODE.set(Mode.SERVE);
    }

    @Test
    @Order(7)
    void webSocketUpgradesVerifyJwksTokensAndNeverHang() throws Exception {
        assertEquals("connected", firstWebSocketEvent(token(es256, JWSAlgorithm.ES256)));
        assertEquals("close 4001", firstWebSocketEvent(token(rs256, JWSAlgorithm.RS512)));
    }

    /** The type of the first frame a WebSocket opened with this token receives, or its close code. */
    private static String firstWebSocketEvent(String token) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        URI uri = URI.create(gateway.baseUrl().replaceFirst("^http", "ws") + "/ws?token=" + token);
        WebSocket ws = HTTP.newWebSocketBuilder()
                .subprotocols("stepcast.v1")
                .connectTimeout(BOUND)
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        String text = data.toString();
                        int at = text.indexOf("\"type\":\"");
                        first.complete(at < 0 ? text : text.substring(at + 8, text.indexOf('"', at + 8)));
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                        first.complete("close " + status);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket socket, Throwable error) {
                        first.completeExceptionally(error);
                    }
                })
                .get(BOUND.toSeconds(), TimeUnit.SECONDS);
        try {
            return first.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } finally {
            ws.abort();
        }
    }

    @Test
    @Order(8)
    void aSlowKeySetUrlDelaysNoRequestWhoseKeyIsKnown() throws Exception {
        MODE.set(Mode.SLOW);
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> true);
        String known = token(es256, JWSAlgorithm.ES256);
        for (int i = 0; i < 20; i++) {
            assertEquals(404, read(known)); // each within BOUND although a fetch hangs for 30 s
        }
        MODE.set(Mode.SERVE);
    }

    private static boolean logContains(String text) throws Exception {
        return Files.readString(log).contains(text);
    }
}
