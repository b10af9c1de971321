package io.livykernel.backend.livy.rest;

import static io.livykernel.backend.livy.rest.FakeLivy.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.analyze.HttpSparkApi;
import io.livykernel.backend.livy.LivyBackendConfig;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.http.KerberosSettings;
import io.livykernel.http.SpnegoAuth;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kerberos without a KDC: configuration, ticket caches, diagnostics and the client's 401/cookie handling. */
class KerberosTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String COOKIE_VALUE = "\"u=alice&p=alice@EX.COM&t=kerberos&e=99999999999999&s=SIG-TOPSECRET\"";

    @TempDir
    Path dir;
    private FakeLivy livy;

    @AfterEach
    void stop() {
        if (livy != null) {
            livy.close();
        }
    }

    // ---- configuration ---------------------------------------------------------------------------------

    @Test
    void livyAuthKerberosIsRead() throws Exception {
        LivySettings http = config("""
                {"livy": {"url": "http://livy:8998", "auth": {"type": "Kerberos", "principal": "alice@EX.COM",
                  "keytab": "/etc/alice.keytab", "hostname": "livy.ex.com"}}}""").http();
        assertEquals(new KerberosSettings("alice@EX.COM", Path.of("/etc/alice.keytab"), null, "HTTP", "livy.ex.com"),
                http.kerberos());
        assertNull(config("{\"livy\": {\"url\": \"http://livy:8998\"}}").http().kerberos());
    }

    @Test
    void impossibleAuthConfigurationsAreRefusedWithTheKey() {
        ConfigException unknown = assertThrows(ConfigException.class, () -> config(
                "{\"livy\": {\"url\": \"http://l:1\", \"auth\": {\"type\": \"digest\"}}}"));
        assertTrue(unknown.getMessage().contains("livy.auth.type must be \"kerberos\""), unknown.getMessage());
        ConfigException both = assertThrows(ConfigException.class, () -> config(
                "{\"livy\": {\"url\": \"http://l:1\", \"username\": \"u\", \"auth\": {\"type\": \"kerberos\"}}}"));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        ConfigException keytabAlone = assertThrows(ConfigException.class, () -> config(
                "{\"livy\": {\"url\": \"http://l:1\", \"auth\": {\"type\": \"kerberos\", \"keytab\": \"/k\"}}}"));
        assertTrue(keytabAlone.getMessage().contains("livy.auth.principal"), keytabAlone.getMessage());
    }

    private LivyBackendConfig config(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return LivyBackendConfig.from(KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, file.toString())));
    }

    // ---- diagnostics -----------------------------------------------------------------------------------

    @Test
    void refusalsSayWhetherKerberosIsMissingOrTheUserIsNotAllowed() {
        LivyUnauthorizedException notConfigured = KerberosRefusals.refusal("GET http://l/sessions", 401, "", true, null);
        assertTrue(notConfigured.getMessage().contains("\"auth\": {\"type\": \"kerberos\""));
        assertNull(KerberosRefusals.refusal("GET http://l/sessions", 401, "", false, null));
        assertNull(KerberosRefusals.refusal("GET http://l/sessions", 403, "", false, null));
        assertTrue(KerberosRefusals.refusal("POST http://l/sessions", 403,
                "User 'bob' not allowed to impersonate 'alice'.", false, "bob").getMessage()
                .contains("Livy authenticated bob but refused the request"));
        assertTrue(KerberosRefusals.refusal("GET http://l/sessions", 403, "GSSException: Checksum failed", false,
                "bob").getMessage().contains("could not verify the Kerberos token of bob"));
    }

    // ---- the client --------------------------------------------------------------------------------------

    @Test
    void theCookieIsSentBackAndA401ThatCannotBeAnsweredIsNotResent() throws Exception {
        livy = new FakeLivy();
        livy.handle((request, exchange) -> {
            boolean hasCookie = request.headers().getFirst("Cookie") != null;
            if (request.method().equals("GET") && !hasCookie) {
                exchange.getResponseHeaders().add("Set-Cookie", "hadoop.auth=" + COOKIE_VALUE + "; Path=/; HttpOnly");
                reply(exchange, 200, "{\"id\": 0, \"state\": \"idle\"}");
            } else {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Negotiate");
                exchange.getResponseHeaders().add("Set-Cookie", "hadoop.auth=; Path=/; HttpOnly");
                reply(exchange, 401, "text/html", "<title>Error 401 Authentication required</title>");
            }
        });
        Path noCache = dir.resolve("no-cache");
        LivyClient client = new LivyClient(LivySettings.builder(livy.url().toString())
                .retryPolicy(LivyClientTest.FAST_RETRIES)
                .kerberos(new KerberosSettings("alice@EX.COM", null, noCache.toString(), null, null)).build());
        client.getSessionState("0");
        LivyKerberosException e = assertThrows(LivyKerberosException.class,
                () -> client.submitStatement("0", new StatementRequest("1 + 1", "pyspark")));
        assertTrue(e.getMessage().contains("run kinit alice@EX.COM"), e.getMessage());
        assertFalse(e.getMessage().contains("TOPSECRET"));
        List<FakeLivy.Request> sent = livy.requests();
        assertEquals(2, sent.size());
        assertNull(sent.get(0).headers().getFirst("Cookie"));
        assertEquals("hadoop.auth=" + COOKIE_VALUE, sent.get(1).headers().getFirst("Cookie"));
    }

    @Test
    void eachServerHasItsOwnCookieAndPrincipal() throws Exception {
        livy = new FakeLivy();
        livy.handle((request, exchange) -> {
            exchange.getResponseHeaders().add("Set-Cookie", "hadoop.auth=\"livy-cookie\"; Path=/; HttpOnly");
            reply(exchange, 200, "{\"id\": 0, \"state\": \"idle\"}");
        });
        try (FakeLivy ui = new FakeLivy()) {
            ui.handle((request, exchange) -> {
                exchange.getResponseHeaders().add("Set-Cookie", "hadoop.auth=\"ui-cookie\"; Path=/; HttpOnly");
                reply(exchange, 200, "[]");
            });
            LivyClient client = new LivyClient(LivySettings.builder(livy.url().toString())
                    .kerberos(new KerberosSettings("alice@EX.COM", null, dir.resolve("none").toString(), null,
                            "livy.ex.com")).build());
            client.getSessionState("0");
            HttpSparkApi sparkUi = new HttpSparkApi(ui.url().resolve("/proxy/app/").toString(), client.otherServices(),
                    Duration.ofSeconds(5));
            sparkUi.get("applications");
            sparkUi.get("applications");
            client.getSessionState("0");
            // The UI never sees Livy's cookie (another server's secret), and gets its own back.
            assertEquals(Arrays.asList(null, "hadoop.auth=\"ui-cookie\""),
                    ui.requests().stream().map(r -> r.headers().getFirst("Cookie")).toList());
            assertEquals("hadoop.auth=\"livy-cookie\"", livy.requests().get(1).headers().getFirst("Cookie"));
            // Tokens go to HTTP/<that server's host>; livy.auth.hostname names only Livy's.
            SpnegoAuth spnego = new SpnegoAuth(client.settings().kerberos(), livy.url(), Map.of());
            assertEquals("HTTP/livy.ex.com", spnego.servicePrincipal(livy.url()));
            assertEquals("HTTP/localhost", spnego.servicePrincipal(URI.create("http://localhost:8088/proxy/")));
            assertEquals("HTTP/localhost", client.otherServices().kerberos().servicePrincipal(
                    URI.create("http://localhost:18080/")));
        }
    }

    @Test
    void livyAskingForKerberosThatIsNotConfiguredSaysHowToTurnItOn() throws Exception {
        livy = new FakeLivy();
        livy.handle((request, exchange) -> {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Negotiate");
            reply(exchange, 401, "text/html", "<title>Error 401 Authentication required</title>");
        });
        LivyClient client = new LivyClient(LivySettings.builder(livy.url().toString()).build());
        LivyUnauthorizedException e = assertThrows(LivyUnauthorizedException.class, () -> client.getSession("0"));
        assertTrue(e.kerberos());
        assertTrue(e.getMessage().startsWith("Livy requires Kerberos (SPNEGO) authentication"), e.getMessage());
        assertEquals(1, livy.requests().size());
    }
}
