package io.stepcast.gateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.stepcast.bridge.RedisTls;
import io.stepcast.bridge.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding and start-up validation of {@code stepcast.redis.tls.*}. */
class GatewayRedisTlsConfigTest {

    /** A TLS address nothing listens on: the context starts, the connections retry in the background. */
    private static final String NOWHERE = "rediss://127.0.0.1:1";

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" <- ");
        }
        return sb.toString();
    }

    @Test
    void withoutTlsKeysNoFilesAreUsed() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("stepcast.redis.uri", NOWHERE))) {
            GatewayRedisTlsConfig config = ctx.getBean(GatewayRedisTlsConfig.class);
            assertNull(config.caFile());
            assertEquals(RedisTls.NONE, config.files());
            ctx.getBean(RedisConnections.class);
        }
    }

    @Test
    void bindsTheCaFileAndTheClientCertificate() {
        TestTls.assumeAvailable();
        TestTls tls = TestTls.generate();
        RedisTls mutual = tls.client(true);
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "stepcast.redis.uri", NOWHERE,
                "stepcast.redis.tls.ca-file", mutual.caFile().toString(),
                "stepcast.redis.tls.cert-file", mutual.certFile().toString(),
                "stepcast.redis.tls.key-file", mutual.keyFile().toString()))) {
            assertEquals(mutual, ctx.getBean(GatewayRedisTlsConfig.class).files());
            ctx.getBean(RedisConnections.class);
        }
    }

    @Test
    void aMissingCaFileFailsStartUpNamingTheSetting() {
        Exception e = assertThrows(
                Exception.class,
                () -> ApplicationContext.run(
                        Map.of("stepcast.redis.uri", NOWHERE, "stepcast.redis.tls.ca-file", "/nonexistent/ca.pem")));
        assertTrue(messages(e).contains("stepcast.redis.tls"), messages(e));
        assertTrue(messages(e).contains("/nonexistent/ca.pem"), messages(e));
    }

    @Test
    void aCertificateWithoutItsKeyFailsStartUp() throws Exception {
        Path cert = Files.createTempFile("cert", ".pem");
        Exception e = assertThrows(
                Exception.class,
                () -> ApplicationContext.run(
                        Map.of("stepcast.redis.uri", NOWHERE, "stepcast.redis.tls.cert-file", cert.toString())));
        assertTrue(messages(e).contains("key file"), messages(e));
    }

    @Test
    void aFileThatIsNotPemFailsStartUp() throws Exception {
        Path garbage = Files.writeString(Files.createTempFile("ca", ".pem"), "not a certificate");
        Exception e = assertThrows(
                Exception.class,
                () -> ApplicationContext.run(
                        Map.of("stepcast.redis.uri", NOWHERE, "stepcast.redis.tls.ca-file", garbage.toString())));
        assertTrue(messages(e).contains("cannot be used"), messages(e));
    }

    @Test
    void tlsFilesWithAPlainRedisUriFailStartUp() {
        TestTls.assumeAvailable();
        TestTls tls = TestTls.generate();
        Exception e = assertThrows(
                Exception.class,
                () -> ApplicationContext.run(Map.of(
                        "stepcast.redis.uri",
                        "redis://127.0.0.1:1",
                        "stepcast.redis.tls.ca-file",
                        tls.caFile().toString())));
        assertTrue(messages(e).contains("rediss://"), messages(e));
    }
}
