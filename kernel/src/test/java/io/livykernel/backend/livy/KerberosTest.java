package io.livykernel.backend.livy;

import static io.livykernel.backend.livy.FakeLivy.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.analyze.HttpSparkApi;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSException;
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

    // ---- ticket caches ---------------------------------------------------------------------------------

    @Test
    void ticketCacheShowsItsOwnerAndTgtEnd() throws Exception {
        Path cache = cache("alice@EX.COM", NOW.plusSeconds(3600));
        TicketCache read = TicketCache.read(cache);
        assertEquals("alice@EX.COM", read.principal());
        assertEquals(NOW.plusSeconds(3600), read.tgtEnd());
        assertTrue(read.hasValidTgt(NOW));
        assertFalse(read.hasValidTgt(NOW.plusSeconds(3601)));
        assertNull(TicketCache.read(dir.resolve("missing")).principal());
    }

    @Test
    void ticketCacheLocationFollowsConfigThenKrb5ccname() {
        assertEquals("/tmp/mine", TicketCache.location("FILE:/tmp/mine", Map.of("KRB5CCNAME", "FILE:/tmp/env")));
        assertEquals("/tmp/env", TicketCache.location(null, Map.of("KRB5CCNAME", "FILE:/tmp/env")));
        assertTrue(TicketCache.location(null, Map.of()).startsWith("/tmp/krb5cc_"));
        assertFalse(TicketCache.isFileCache("KEYRING:persistent:1000"));
        assertTrue(TicketCache.isFileCache("/tmp/krb5cc_1000"));
    }

    @Test
    void ticketProblemsAreFoundBeforeLoggingIn() throws Exception {
        Path expired = cache("alice@EX.COM", NOW.minusSeconds(60));
        assertLoginFails(new KerberosSettings("alice@EX.COM", null, expired.toString(), null, null),
                "the Kerberos ticket of alice@EX.COM in " + expired + " expired at " + NOW.minusSeconds(60)
                        + ": run kinit alice@EX.COM again");
        Path bobs = cache("bob@EX.COM", NOW.plusSeconds(60));
        assertLoginFails(new KerberosSettings("alice@EX.COM", null, bobs.toString(), null, null),
                "holds tickets of bob@EX.COM, not of alice@EX.COM: run kinit alice@EX.COM");
        assertLoginFails(new KerberosSettings("alice@EX.COM", null, dir.resolve("none").toString(), null, null),
                "run kinit alice@EX.COM or set livy.auth.keytab");
        assertLoginFails(new KerberosSettings(null, null, "KEYRING:persistent:0", null, null),
                "reads only FILE: ticket caches");
        assertLoginFails(new KerberosSettings("alice@EX.COM", dir.resolve("alice.keytab"), null, null, null),
                "cannot read the Kerberos keytab " + dir.resolve("alice.keytab") + " (no such file)");
    }

    private void assertLoginFails(KerberosSettings settings, String expected) {
        KerberosLogin login = new KerberosLogin(settings, Map.of(), Clock.fixed(NOW, ZoneOffset.UTC));
        LivyKerberosException e = assertThrows(LivyKerberosException.class, () -> login.subject("GET http://l/x"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void loginIsRenewedWhenAFifthOfTheTicketIsLeftAndNeverLaterThanAMinuteBefore() {
        assertEquals(NOW.plus(Duration.ofHours(8)), KerberosLogin.renewalTime(NOW, NOW.plus(Duration.ofHours(10))));
        assertEquals(NOW.plusSeconds(60), KerberosLogin.renewalTime(NOW, NOW.plusSeconds(120)));
    }

    // ---- diagnostics -----------------------------------------------------------------------------------

    @Test
    void kerberosErrorsBecomeWhatToDo() {
        KerberosSettings keytab = new KerberosSettings("alice@EX.COM", Path.of("/k"), null, null, null);
        assertTrue(KerberosErrors.login(new LoginException("Clock skew too great (37)"), keytab, null)
                .contains("synchronise the clock"));
        assertTrue(KerberosErrors.login(new LoginException("Cannot contact any KDC for realm 'EX.COM'"), keytab,
                null).startsWith("cannot reach the Kerberos KDC for alice@EX.COM"));
        assertTrue(KerberosErrors.login(new LoginException("Client not found in Kerberos database (6)"), keytab,
                null).contains("does not know the principal alice@EX.COM"));
        assertTrue(KerberosErrors.login(new LoginException("Pre-authentication information was invalid (24)"),
                keytab, null).contains("the keytab is outdated"));
        String noService = KerberosErrors.token(new GSSException(GSSException.FAILURE, -1,
                "Server not found in Kerberos database (7) - LOOKING_UP_SERVER"), "HTTP/livy.ex.com", "alice");
        assertTrue(noService.startsWith("Kerberos has no service principal HTTP/livy.ex.com"), noService);
    }

    @Test
    void refusalsSayWhetherKerberosIsMissingOrTheUserIsNotAllowed() {
        LivyUnauthorizedException notConfigured = KerberosErrors.refusal("GET http://l/sessions", 401, "", true, null);
        assertTrue(notConfigured.getMessage().contains("\"auth\": {\"type\": \"kerberos\""));
        assertNull(KerberosErrors.refusal("GET http://l/sessions", 401, "", false, null));
        assertNull(KerberosErrors.refusal("GET http://l/sessions", 403, "", false, null));
        assertTrue(KerberosErrors.refusal("POST http://l/sessions", 403,
                "User 'bob' not allowed to impersonate 'alice'.", false, "bob").getMessage()
                .contains("Livy authenticated bob but refused the request"));
        assertTrue(KerberosErrors.refusal("GET http://l/sessions", 403, "GSSException: Checksum failed", false,
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
        client.getSessionState(0);
        LivyKerberosException e = assertThrows(LivyKerberosException.class,
                () -> client.submitStatement(0, new StatementRequest("1 + 1", "pyspark")));
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
            client.getSessionState(0);
            HttpSparkApi sparkUi = new HttpSparkApi(ui.url().resolve("/proxy/app/").toString(), client.sparkUiAuth(),
                    Duration.ofSeconds(5));
            sparkUi.get("applications");
            sparkUi.get("applications");
            client.getSessionState(0);
            // The UI never sees Livy's cookie (another server's secret), and gets its own back.
            assertEquals(Arrays.asList(null, "hadoop.auth=\"ui-cookie\""),
                    ui.requests().stream().map(r -> r.headers().getFirst("Cookie")).toList());
            assertEquals("hadoop.auth=\"livy-cookie\"", livy.requests().get(1).headers().getFirst("Cookie"));
            // Tokens go to HTTP/<that server's host>; livy.auth.hostname names only Livy's.
            SpnegoAuth spnego = new SpnegoAuth(client.settings().kerberos(), livy.url(), Map.of());
            assertEquals("HTTP/livy.ex.com", spnego.servicePrincipal(livy.url()));
            assertEquals("HTTP/localhost", spnego.servicePrincipal(URI.create("http://localhost:8088/proxy/")));
            assertEquals("HTTP/localhost", client.sparkUiAuth().servicePrincipal(
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
        LivyUnauthorizedException e = assertThrows(LivyUnauthorizedException.class, () -> client.getSession(0));
        assertTrue(e.kerberos());
        assertTrue(e.getMessage().startsWith("Livy requires Kerberos (SPNEGO) authentication"), e.getMessage());
        assertEquals(1, livy.requests().size());
    }

    /** A MIT ticket cache (version 4) holding one TGT of {@code principal}. */
    private Path cache(String principal, Instant tgtEnd) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(0x0504);
        out.writeShort(12);                                    // header: one time-offset tag
        out.writeShort(1);
        out.writeShort(8);
        out.writeLong(0);
        String realm = principal.substring(principal.indexOf('@') + 1);
        writePrincipal(out, principal);
        writePrincipal(out, principal);                        // the credential's client
        writePrincipal(out, "krbtgt/" + realm + "@" + realm);  // and server
        out.writeShort(18);                                    // key: aes256
        writeOctets(out, new byte[32]);
        out.writeInt((int) NOW.minusSeconds(7200).getEpochSecond());   // auth time
        out.writeInt((int) NOW.minusSeconds(7200).getEpochSecond());   // start
        out.writeInt((int) tgtEnd.getEpochSecond());
        out.writeInt(0);                                       // renew till
        out.writeByte(0);
        out.writeInt(0x40e10000);                              // flags
        out.writeInt(0);                                       // no addresses
        out.writeInt(0);                                       // no authorization data
        writeOctets(out, new byte[40]);                        // ticket
        writeOctets(out, new byte[0]);                         // second ticket
        Path file = Files.createTempFile(dir, "krb5cc_", "");
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static void writePrincipal(DataOutputStream out, String principal) throws IOException {
        String[] nameAndRealm = principal.split("@");
        String[] components = nameAndRealm[0].split("/");
        out.writeInt(1);
        out.writeInt(components.length);
        writeOctets(out, nameAndRealm[1].getBytes(StandardCharsets.UTF_8));
        for (String c : components) {
            writeOctets(out, c.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void writeOctets(DataOutputStream out, byte[] data) throws IOException {
        out.writeInt(data.length);
        out.write(data);
    }
}
