package io.livykernel.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.livykernel.http.Authenticator;
import io.livykernel.http.HttpSettings;
import io.livykernel.http.HttpStack;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSparkApiTest {
    private HttpServer server;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().toString());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (exchange.getRequestURI().getPath().contains("kerberized") && authorization == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Negotiate");
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            boolean login = exchange.getRequestURI().getPath().contains("login");
            byte[] body = (login ? "<html>Sign in</html>" : "[]").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", login ? "text/html" : "application/json");
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().contains("missing") ? 404 : 200,
                    body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void aSparkUiAddressGetsTheApiPathOnce() throws Exception {
        assertEquals("[]", new HttpSparkApi(base() + "/proxy/application_1_0001/").get("applications/x/jobs"));
        new HttpSparkApi(base() + "/history/api/v1").get("applications");
        assertEquals(List.of("/proxy/application_1_0001/api/v1/applications/x/jobs", "/history/api/v1/applications"),
                asked);
    }

    @Test
    void aLoginPageOrAMissingResourceIsNotMistakenForMetrics() {
        SparkApiException login = assertThrows(SparkApiException.class,
                () -> new HttpSparkApi(base() + "/login/").get("applications"));
        assertTrue(login.getMessage().contains("HTML page instead of JSON"), login.getMessage());
        SparkApiException missing = assertThrows(SparkApiException.class,
                () -> new HttpSparkApi(base() + "/missing/").get("applications/app"));
        assertTrue(missing.notFound());
    }

    @Test
    void aServerAskingForKerberosThatIsNotConfiguredSaysHowToTurnItOn() {
        SparkApiException e = assertThrows(SparkApiException.class,
                () -> new HttpSparkApi(base() + "/kerberized/").get("applications"));
        assertEquals(SparkApiException.Kerberos.NOT_CONFIGURED, e.kerberos());
        assertTrue(e.getMessage().contains("wants Kerberos (SPNEGO)") && e.getMessage().contains(
                "livy.auth {\"type\": \"kerberos\"}"), e.getMessage());
    }

    @Test
    void aRefusalIsAnsweredOnceWithAFreshToken() throws Exception {
        List<Boolean> fresh = new CopyOnWriteArrayList<>();
        Authenticator auth = new Authenticator() {
            @Override
            public void authenticate(HttpRequest.Builder request, URI uri, boolean freshToken) {
                fresh.add(freshToken);
                if (freshToken) {
                    request.header("Authorization", "Negotiate token");
                }
            }

            @Override
            public boolean canAnswer(HttpResponse<?> response) {
                return Authenticator.asksForNegotiate(response);
            }
        };
        assertEquals("[]", new HttpSparkApi(base() + "/kerberized/",
                HttpStack.of(HttpSettings.DEFAULT).withAuthenticator(auth), Duration.ofSeconds(5)).get("applications"));
        assertEquals(List.of(false, true), fresh);
        assertEquals(2, asked.size());
    }
}
