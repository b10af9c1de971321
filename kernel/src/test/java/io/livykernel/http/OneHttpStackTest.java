package io.livykernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.livykernel.analyze.HttpSparkApi;
import io.livykernel.analyze.SparkApiException;
import io.livykernel.backend.livy.LivyBackendConfig;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.batch.BatchSubmissionException;
import io.livykernel.batch.StagingConfig;
import io.livykernel.batch.WebHdfsClient;
import io.livykernel.config.KernelConfig;
import io.livykernel.messages.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One configuration (a trust store holding a private CA, and a header a gateway requires) reaches every endpoint
 * the kernel talks to: Livy, a Spark UI through the YARN proxy (which redirects), a History Server and WebHDFS
 * (NameNode, then the DataNode it redirects to). Without the header or the trust store each fails saying so.
 */
class OneHttpStackTest {
    private static final String HEADER = "X-Gateway-Token";
    private static final String TOKEN = "gw-TOPSECRET-7731";
    private static final String PASSWORD = "store-pass-51";
    private static final String APP = "application_1_0001";

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static final List<String> SEEN = new CopyOnWriteArrayList<>();
    private static final AtomicInteger FLAKY_ANSWERS = new AtomicInteger();

    @BeforeAll
    static void startGateway() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        assumeTrue(Files.isExecutable(keytool), "keytool is needed to make a test CA");
        String ca = dir.resolve("ca.p12").toString();
        String host = dir.resolve("host.p12").toString();
        keytool(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Private Test CA", "-ext", "bc:c", "-validity", "2", "-keystore", ca);
        keytool(keytool, "-genkeypair", "-alias", "host", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-validity", "2", "-keystore", host);
        keytool(keytool, "-certreq", "-alias", "host", "-keystore", host, "-file", dir.resolve("host.csr").toString());
        keytool(keytool, "-gencert", "-alias", "ca", "-keystore", ca, "-infile", dir.resolve("host.csr").toString(),
                "-outfile", dir.resolve("host.crt").toString(), "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-rfc");
        keytool(keytool, "-exportcert", "-alias", "ca", "-keystore", ca, "-file", dir.resolve("ca.crt").toString(),
                "-rfc");
        keytool(keytool, "-importcert", "-alias", "ca", "-keystore", host, "-file", dir.resolve("ca.crt").toString(),
                "-noprompt");
        keytool(keytool, "-importcert", "-alias", "host", "-keystore", host, "-file",
                dir.resolve("host.crt").toString());
        // The clients' trust store holds the CA only, not the server's certificate.
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, PASSWORD.toCharArray());
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(host))) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", OneHttpStackTest::gateway);
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A gateway in front of every service: it refuses requests without its header, like Knox with a token. */
    private static void gateway(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
            exchange.getRequestBody().readAllBytes();
            SEEN.add(exchange.getRequestMethod() + " " + path + " " + exchange.getRequestHeaders().getFirst(HEADER));
            if (!TOKEN.equals(exchange.getRequestHeaders().getFirst(HEADER))) {
                reply(exchange, 403, "missing or wrong " + HEADER);
            } else if (path.equals("/livy/version")) {
                reply(exchange, 200, "{\"version\": \"0.8.0-incubating\"}");
            } else if (path.startsWith("/proxy/application_1_0001/")) {
                // The YARN proxy sends the browser on to the driver's UI.
                exchange.getResponseHeaders().add("Location", path.replace("/proxy/application_1_0001/", "/driver/"));
                reply(exchange, 302, "");
            } else if (path.equals("/driver/api/v1/applications/application_1_0001/jobs")
                    || path.equals("/history/api/v1/applications")) {
                reply(exchange, 200, "[]");
            } else if (path.startsWith("/webhdfs/v1/") && query.contains("op=MKDIRS")) {
                reply(exchange, 200, "{\"boolean\": true}");
            } else if (path.equals("/webhdfs/v1/user/alice/flaky.py") && FLAKY_ANSWERS.getAndIncrement() == 0) {
                reply(exchange, 503, "{\"RemoteException\": {\"exception\": \"RetriableException\","
                        + " \"message\": \"NameNode still in safe mode\"}}");
            } else if (path.equals("/webhdfs/v1/user/alice/flaky.py")) {
                reply(exchange, 200, "{\"FileStatus\": {\"type\": \"FILE\", \"length\": 9}}");
            } else if (path.startsWith("/webhdfs/v1/") && query.contains("op=GETFILESTATUS")) {
                reply(exchange, 404, "{\"RemoteException\": {\"exception\": \"FileNotFoundException\","
                        + " \"message\": \"File does not exist\"}}");
            } else if (path.startsWith("/webhdfs/v1/") && query.contains("op=CREATE")) {
                exchange.getResponseHeaders().add("Location", base() + "/datanode" + path + "?" + query);
                reply(exchange, 307, "");
            } else if (path.startsWith("/datanode/")) {
                reply(exchange, 201, "");
            } else {
                reply(exchange, 404, "no " + path);
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static String base() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void oneConfigurationReachesLivyTheSparkUiTheHistoryServerAndWebHdfs() throws Exception {
        SEEN.clear();
        KernelConfig config = config(true, true);
        LivyClient livy = new LivyClient(LivyBackendConfig.from(config).http());
        assertEquals("0.8.0-incubating", livy.getVersion().version());
        // The progress line's probe and %%analyze of this session: the Livy client's stack.
        assertEquals("[]", new HttpSparkApi(base() + "/proxy/application_1_0001/", livy.otherServices())
                .get("applications/application_1_0001/jobs"));
        // %%analyze -a and the analyze command: a stack built from the same configuration.
        assertEquals("[]", new HttpSparkApi(base() + "/history", HttpStack.of(HttpConfig.from(config)))
                .get("applications"));
        WebHdfsClient webhdfs = new WebHdfsClient(staging(config), livy.otherServices());
        webhdfs.mkdirs("/user/alice/staging");
        assertEquals(OptionalLong.empty(), webhdfs.fileLength("/user/alice/staging/job.py"));
        Path local = Files.writeString(dir.resolve("job.py"), "print(1)\n");
        webhdfs.create("/user/alice/staging/job.py", local);

        assertEquals(List.of("GET /livy/version", "GET /proxy/" + APP + "/api/v1/applications/" + APP + "/jobs",
                "GET /driver/api/v1/applications/" + APP + "/jobs", "GET /history/api/v1/applications",
                "PUT /webhdfs/v1/user/alice/staging", "GET /webhdfs/v1/user/alice/staging/job.py",
                "PUT /webhdfs/v1/user/alice/staging/job.py", "PUT /datanode/webhdfs/v1/user/alice/staging/job.py"),
                SEEN.stream().map(s -> s.substring(0, s.lastIndexOf(' '))).toList());
        assertTrue(SEEN.stream().allMatch(s -> s.endsWith(" " + TOKEN)), "every request carried the header: " + SEEN);
    }

    @Test
    void webHdfsRepeatsAnOperationTheNameNodeRefusedFor503() throws Exception {
        KernelConfig config = config(true, true);
        WebHdfsClient webhdfs = new WebHdfsClient(staging(config), HttpStack.of(HttpConfig.from(config)));
        SEEN.clear();
        assertEquals(OptionalLong.of(9), webhdfs.fileLength("/user/alice/flaky.py"));
        assertEquals(2, SEEN.size(), "one 503, then the answer: " + SEEN);
    }

    @Test
    void withoutTheRequiredHeaderEveryEndpointSaysTheGatewayRefused() throws Exception {
        KernelConfig config = config(false, true);
        LivyClient livy = new LivyClient(LivyBackendConfig.from(config).http());
        LivyException toLivy = assertThrows(LivyException.class, livy::getVersion);
        assertTrue(toLivy.getMessage().contains("403") && toLivy.getMessage().contains("missing or wrong " + HEADER),
                toLivy.getMessage());
        SparkApiException toUi = assertThrows(SparkApiException.class, () -> new HttpSparkApi(
                base() + "/proxy/" + APP + "/", livy.otherServices()).get("applications/" + APP + "/jobs"));
        assertEquals("HTTP 403 for applications/" + APP + "/jobs: missing or wrong " + HEADER, toUi.getMessage());
        SparkApiException toHistory = assertThrows(SparkApiException.class, () -> new HttpSparkApi(
                base() + "/history", HttpStack.of(HttpConfig.from(config))).get("applications"));
        assertEquals("HTTP 403 for applications: missing or wrong " + HEADER, toHistory.getMessage());
        BatchSubmissionException toHdfs = assertThrows(BatchSubmissionException.class,
                () -> new WebHdfsClient(staging(config), livy.otherServices()).mkdirs("/user/alice/staging"));
        assertTrue(toHdfs.getMessage().startsWith("WebHDFS refused MKDIRS /user/alice/staging (HTTP 403)"),
                toHdfs.getMessage());
    }

    @Test
    void withoutTheTrustStoreEveryEndpointSaysTheCertificateIsNotTrustedAndShowsNoSecret() throws Exception {
        KernelConfig config = config(true, false);
        LivyClient livy = new LivyClient(LivyBackendConfig.from(config).http());
        List<String> messages = new ArrayList<>();
        messages.add(assertThrows(LivyException.class, livy::getVersion).getMessage());
        messages.add(assertThrows(SparkApiException.class, () -> new HttpSparkApi(base() + "/proxy/application_1_0001/",
                livy.otherServices()).get("applications/application_1_0001/jobs")).getMessage());
        messages.add(assertThrows(SparkApiException.class, () -> new HttpSparkApi(base() + "/history",
                HttpStack.of(HttpConfig.from(config))).get("applications")).getMessage());
        messages.add(assertThrows(BatchSubmissionException.class, () -> new WebHdfsClient(staging(config),
                livy.otherServices()).mkdirs("/user/alice/staging")).getMessage());
        for (String message : messages) {
            assertTrue(message.contains("TLS handshake failed") && message.contains("trust store"), message);
            assertFalse(message.contains(TOKEN), message);
        }
        assertFalse(HttpConfig.from(config(true, true)).toString().contains(TOKEN));
        assertFalse(HttpConfig.from(config(true, true)).toString().contains(PASSWORD));
    }

    /** The configuration file a user writes once: the Livy URL, WebHDFS, the trust store and the header. */
    private static KernelConfig config(boolean withHeader, boolean withTrustStore) throws Exception {
        JsonObject livy = new JsonObject();
        livy.addProperty("url", base() + "/livy");
        livy.addProperty("connectTimeoutSeconds", 5);
        livy.addProperty("requestTimeoutSeconds", 10);
        JsonObject headers = new JsonObject();
        if (withHeader) {
            headers.addProperty(HEADER, TOKEN);
        }
        livy.add("headers", headers);
        JsonObject tls = new JsonObject();
        if (withTrustStore) {
            tls.addProperty("trustStore", dir.resolve("trust.p12").toString());
            tls.addProperty("trustStorePassword", PASSWORD);
        }
        livy.add("tls", tls);
        JsonObject staging = new JsonObject();
        staging.addProperty("webhdfsUrl", base());
        staging.addProperty("user", "alice");
        JsonObject batch = new JsonObject();
        batch.add("staging", staging);
        livy.add("batch", batch);
        JsonObject root = new JsonObject();
        root.add("livy", livy);
        Path file = Files.createTempFile(dir, "config", ".json");
        Files.writeString(file, Json.gson().toJson(root));
        return KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, file.toString()));
    }

    private static StagingConfig staging(KernelConfig config) throws Exception {
        return StagingConfig.from(config.section("livy"), "test", "alice").orElseThrow();
    }

    private static void keytool(Path keytool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-J-XX:TieredStopAtLevel=1"));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, command + " failed: " + output);
    }
}
