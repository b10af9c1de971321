package io.livykernel.backend.livy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.livykernel.backend.livy.rest.AppInfo;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivySettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a session has used, read from the ResourceManager behind its YARN proxy address; never shown as zero. */
class UsageTest {
    private static final String APP = "application_1733300000000_0007";
    private HttpServer rm;
    private LivyClient client;
    private String proxy;

    @BeforeEach
    void start() throws IOException {
        rm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        rm.createContext("/ws/v1/cluster/apps/", exchange -> {
            byte[] body;
            int status;
            if (exchange.getRequestURI().getPath().endsWith(APP)) {
                try (InputStream in = UsageTest.class.getResourceAsStream("/io/livykernel/policy/rm-app-running.json")) {
                    body = in.readAllBytes();
                }
                status = 200;
            } else {
                body = "{\"RemoteException\": {\"message\": \"not found\"}}".getBytes();
                status = 404;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        rm.start();
        proxy = "http://127.0.0.1:" + rm.getAddress().getPort() + "/proxy/" + APP + "/";
        client = new LivyClient(LivySettings.builder("http://127.0.0.1:9").build());
    }

    @AfterEach
    void stop() {
        rm.stop(0);
    }

    @Test
    void aYarnSessionsUsageComesFromTheResourceManagerBehindItsProxyAddress() throws Exception {
        String line = Usage.of(APP, new AppInfo(null, proxy, null), client).line();
        assertEquals("Resources used: " + APP + ": 15.000 GB-hours, 5.750 vcore-hours so far; holding 13312 MB and"
                + " 5 vcores now; queue root.notebooks; running for 5400 s", line);
    }

    @Test
    void aLocalModeSessionSaysThereIsNoYarnApplication() throws Exception {
        String line = Usage.of(null, null, client).line();
        assertTrue(line.startsWith("Resources used: not available (no YARN application"), line);
        assertTrue(Usage.of("local-1796404865396", null, client).line().contains("local mode"));
    }

    @Test
    void aResourceManagerThatDoesNotKnowTheApplicationIsSaidAsSuchNotAsZero() throws Exception {
        String other = "application_1733300000000_0099";
        String line = Usage.of(other, new AppInfo(null, proxy.replace(APP, other), null), client).line();
        assertTrue(line.startsWith("Resources used: not available (the ResourceManager at http://127.0.0.1:"), line);
        assertTrue(line.contains("HTTP 404") && !line.contains(" 0."), line);
    }

    @Test
    void aUiThatIsNotBehindYarnsProxyNamesNoResourceManager() throws Exception {
        String line = Usage.of(APP, new AppInfo(null, "http://driver:4040/", null), client).line();
        assertTrue(line.contains("no YARN proxy address"), line);
    }
}
