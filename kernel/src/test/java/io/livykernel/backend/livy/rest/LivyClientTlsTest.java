package io.livykernel.backend.livy.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS: the JVM's trust store by default, a configured trust store, and the loud insecure opt-out. */
class LivyClientTlsTest {
    private static final String STORE_PASSWORD = "changeit-42";
    private static final String TRUST_PASSWORD = "trust-pass-43";

    @TempDir
    static Path dir;
    private static FakeLivy livy;

    @BeforeAll
    static void startHttpsLivy() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        assumeTrue(Files.isExecutable(keytool), "keytool is needed to make a test certificate");
        Path serverStore = dir.resolve("server.p12");
        run(keytool.toString(), "-J-XX:TieredStopAtLevel=1", "-genkeypair", "-alias", "livy", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-keystore", serverStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverStore)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("livy", keys.getCertificate("livy"));
        try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, TRUST_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        livy = new FakeLivy(tls);
        livy.handle((request, exchange) -> FakeLivy.replySample(exchange, "099-version.json"));
    }

    @AfterAll
    static void stop() {
        if (livy != null) {
            livy.close();
        }
    }

    @Test
    void certificatesAreVerifiedByDefaultAndAFailedHandshakeIsNotRetried() {
        LivyClient client = new LivyClient(LivySettings.builder(livy.url().toString()).build());
        long started = System.nanoTime();
        LivyConnectionException e = assertThrows(LivyConnectionException.class, client::getVersion);
        assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
        assertFalse(e.getMessage().contains("gave up after"), e.getMessage());
        // Retrying with the default policy would spend 8.7 s in backoff.
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3), "no backoff spent on a certificate");
    }

    @Test
    void aConfiguredTrustStoreIsTrusted() throws Exception {
        LivyClient client = new LivyClient(LivySettings.builder(livy.url().toString())
                .trustStore(dir.resolve("trust.p12"), TRUST_PASSWORD, "PKCS12").build());
        assertEquals("0.10.0-incubating-SNAPSHOT", client.getVersion().version());
    }

    @Test
    void anUnreadableTrustStoreFailsWithoutShowingItsPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LivyClient(
                LivySettings.builder(livy.url().toString()).trustStore(dir.resolve("trust.p12"), "wrong-pass-44", null)
                        .build()));
        assertTrue(e.getMessage().contains("trust.p12"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-pass-44"), e.getMessage());
    }

    @Test
    void skippingVerificationWorksAndIsLoggedLoudlyOnce() throws Exception {
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger packageLog = Logger.getLogger("io.livykernel.http");
        packageLog.addHandler(capture);
        try {
            for (int i = 0; i < 2; i++) {
                LivyClient client = new LivyClient(LivySettings.builder(livy.url().toString())
                        .insecureSkipTlsVerify(true).build());
                assertEquals("0.10.0-incubating-SNAPSHOT", client.getVersion().version());
            }
        } finally {
            packageLog.removeHandler(capture);
        }
        assertEquals(1, warnings.size(), "one warning per JVM");
        assertTrue(warnings.get(0).getMessage().contains("TLS VERIFICATION IS OFF"));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, String.join(" ", command)
                + " failed: " + output);
    }
}
