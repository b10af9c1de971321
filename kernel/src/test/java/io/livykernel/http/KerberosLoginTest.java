package io.livykernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kerberos without a KDC: ticket caches, the login's checks and renewal, and diagnostics (moved from KerberosTest). */
class KerberosLoginTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

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
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> login.subject("GET http://l/x"));
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
