package io.livykernel.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.kerberos.KeyTab;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * A Kerberos login through the JDK's own JAAS Krb5LoginModule, configured here rather than in a JAAS file:
 * from the keytab when one is configured, else from the ticket cache {@code kinit} filled. Logs in again
 * before the ticket-granting ticket expires (a keytab gets a new one; a cache is re-read, so a new
 * {@code kinit} is picked up without restarting the kernel). Thread-safe.
 */
final class KerberosLogin {
    private static final Logger LOG = Logger.getLogger(KerberosLogin.class.getName());
    private static final String MODULE = "com.sun.security.auth.module.Krb5LoginModule";
    /** Renew when this share of the ticket's lifetime is left (at least a minute). */
    private static final double RENEW_AT_REMAINING = 0.2;
    /**
     * While the ticket nears its end, try to renew at most this often: a cache may not have been renewed by
     * kinit yet, a KDC may be down for a while; the current ticket serves meanwhile.
     */
    private static final Duration RETRY_RENEWAL = Duration.ofSeconds(30);

    private final KerberosSettings settings;
    private final Map<String, String> env;
    private final Clock clock;
    private Subject subject;
    private Instant renewAt;
    private Instant lastAttempt;

    KerberosLogin(KerberosSettings settings, Map<String, String> env, Clock clock) {
        this.settings = settings;
        this.env = env;
        this.clock = clock;
    }

    /** Who logs in, as the user wrote it or the cache names it; for messages. */
    String principalForMessages() {
        if (settings.principal() != null) {
            return settings.principal();
        }
        String cache = TicketCache.location(settings.ticketCache(), env);
        String owner = cache == null ? null : TicketCache.read(Path.of(cache)).principal();
        return owner != null ? owner : "your principal";
    }

    /** The logged-in subject, logging in (again) first when there is none or its ticket is about to expire. */
    synchronized Subject subject(String endpoint) throws AuthenticationException {
        Instant now = clock.instant();
        boolean due = subject == null || !stillValid(now) || renewAt != null && now.isAfter(renewAt)
                && lastAttempt.plus(RETRY_RENEWAL).isBefore(now);
        if (due) {
            lastAttempt = now;
            try {
                login(endpoint, now);
            } catch (AuthenticationException e) {
                if (subject == null || ticket(subject) == null || !stillValid(now)) {
                    throw e;
                }
                LOG.warning("Kerberos: could not renew the login yet (" + e.getMessage() + "); the current ticket"
                        + " is still valid");
            }
        }
        return subject;
    }

    private boolean stillValid(Instant now) {
        KerberosTicket tgt = subject == null ? null : ticket(subject);
        return tgt == null || tgt.getEndTime().toInstant().isAfter(now);
    }

    private void login(String endpoint, Instant now) throws AuthenticationException {
        Krb5Conf.adoptEnvironment(env);
        Map<String, String> options = new HashMap<>();
        options.put("doNotPrompt", "true");
        options.put("refreshKrb5Config", "true");
        options.put("isInitiator", "true");
        String cache = null;
        if (settings.keytab() != null) {
            checkKeytab(endpoint);
            options.put("useKeyTab", "true");
            options.put("keyTab", settings.keytab().toString());
            options.put("storeKey", "true");
            options.put("principal", settings.principal());
        } else {
            cache = TicketCache.location(settings.ticketCache(), env);
            checkCache(endpoint, cache, now);
            options.put("useTicketCache", "true");
            options.put("ticketCache", cache);
            if (settings.principal() != null) {
                options.put("principal", settings.principal());
            }
        }
        Subject fresh = new Subject();
        try {
            new LoginContext("livy-kernel", fresh, null, jaas(options)).login();
        } catch (LoginException e) {
            throw new AuthenticationException(endpoint, KerberosErrors.login(e, settings, cache), e);
        }
        KerberosTicket tgt = ticket(fresh);
        subject = fresh;
        renewAt = tgt == null ? null : renewalTime(tgt.getStartTime().toInstant(), tgt.getEndTime().toInstant());
        String from = settings.keytab() != null ? "keytab " + settings.keytab() : "ticket cache " + cache;
        LOG.info(() -> "Kerberos: logged in as " + (tgt == null ? settings.principal() : tgt.getClient().getName())
                + " from " + from + (tgt == null ? "" : "; ticket valid until " + tgt.getEndTime().toInstant()));
    }

    /** When to log in again: once {@link #RENEW_AT_REMAINING} of the lifetime (at least a minute) is left. */
    static Instant renewalTime(Instant start, Instant end) {
        Duration lifetime = Duration.between(start, end);
        Duration margin = Duration.ofMillis(Math.max(60_000, (long) (lifetime.toMillis() * RENEW_AT_REMAINING)));
        return end.minus(margin);
    }

    private void checkKeytab(String endpoint) throws AuthenticationException {
        Path keytab = settings.keytab();
        if (!Files.isRegularFile(keytab) || !Files.isReadable(keytab)) {
            throw new AuthenticationException(endpoint, "cannot read the Kerberos keytab " + keytab + " ("
                    + (Files.exists(keytab) ? "permission denied" : "no such file")
                    + "); fix livy.auth.keytab or the file's permissions", null);
        }
        try {
            KerberosPrincipal principal = new KerberosPrincipal(settings.principal());
            if (KeyTab.getInstance(principal, keytab.toFile()).getKeys(principal).length == 0) {
                throw new AuthenticationException(endpoint, "the keytab " + keytab + " holds no key for "
                        + principal.getName() + " (or is not a keytab); export one with kadmin's ktadd, or fix"
                        + " livy.auth.principal", null);
            }
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException(endpoint, KerberosErrors.configuration(e.getMessage(), settings), e);
        }
    }

    private void checkCache(String endpoint, String cache, Instant now) throws AuthenticationException {
        String who = settings.principal() != null ? settings.principal() : "YOU@YOUR.REALM";
        if (cache == null) {
            throw new AuthenticationException(endpoint, "no Kerberos ticket cache found: run kinit " + who
                    + " or set livy.auth.keytab", null);
        }
        if (!TicketCache.isFileCache(cache)) {
            throw new AuthenticationException(endpoint, "the Java Kerberos library reads only FILE: ticket caches, and"
                    + " KRB5CCNAME is " + cache + ": run kinit -c FILE:/tmp/krb5cc_livy " + who + " and set"
                    + " livy.auth.ticketCache to that file, or set livy.auth.keytab", null);
        }
        TicketCache tickets = TicketCache.read(Path.of(cache));
        if (tickets.principal() == null) {
            throw new AuthenticationException(endpoint, "no Kerberos ticket (the ticket cache " + cache + " is missing"
                    + " or empty): run kinit " + who + " or set livy.auth.keytab", null);
        }
        if (settings.principal() != null && !samePrincipal(settings.principal(), tickets.principal())) {
            throw new AuthenticationException(endpoint, "the ticket cache " + cache + " holds tickets of "
                    + tickets.principal() + ", not of " + settings.principal() + ": run kinit "
                    + settings.principal(), null);
        }
        if (!tickets.hasValidTgt(now)) {
            throw new AuthenticationException(endpoint, "the Kerberos ticket of " + tickets.principal() + " in "
                    + cache + (tickets.tgtEnd() == null ? " is missing" : " expired at " + tickets.tgtEnd())
                    + ": run kinit " + tickets.principal() + " again, or set livy.auth.keytab to renew it"
                    + " automatically", null);
        }
    }

    private static boolean samePrincipal(String configured, String cached) {
        return configured.contains("@") ? configured.equals(cached) : cached.startsWith(configured + "@");
    }

    private static KerberosTicket ticket(Subject subject) {
        for (KerberosTicket t : subject.getPrivateCredentials(KerberosTicket.class)) {
            if (t.getServer().getName().startsWith("krbtgt/")) {
                return t;
            }
        }
        return null;
    }

    private static Configuration jaas(Map<String, String> options) {
        AppConfigurationEntry entry = new AppConfigurationEntry(MODULE,
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options);
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {entry};
            }
        };
    }
}
