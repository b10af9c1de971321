package io.livykernel.http;

import io.livykernel.config.HeaderText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What every outbound request of the kernel shares, whatever the server (Livy, the Spark UI through the YARN
 * proxy, a History Server, WebHDFS): TLS, the configured headers, timeouts, the retry policy for safe requests
 * and the credentials. {@link #toString()} never shows the password, the trust store password or header values.
 *
 * @param headers               sent with every request after the standard ones, replacing same-named ones
 * @param connectTimeout        how long opening a connection may take
 * @param requestTimeout        how long one request may wait for its response, unless the caller bounds it
 * @param trustStore            certificates to trust instead of the JVM's default trust store; null = JVM's
 * @param insecureSkipTlsVerify accept any certificate and host name; logged as a warning, for tests only
 * @param retryPolicy           how requests that may safely run twice are repeated
 * @param username              Basic auth user; null sends no Basic Authorization header
 * @param kerberos              SPNEGO authentication; null when the cluster is not Kerberized
 * @param bearer                where a bearer token comes from; null sends none
 */
public record HttpSettings(Map<String, String> headers, Duration connectTimeout, Duration requestTimeout,
                           TrustStore trustStore, boolean insecureSkipTlsVerify, RetryPolicy retryPolicy,
                           String username, String password, KerberosSettings kerberos,
                           TokenSource bearer) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** No headers, default timeouts and retries, the JVM's trust store, no credentials. */
    public static final HttpSettings DEFAULT = new HttpSettings(null, null, null, null, false, null, null, null, null,
            null);

    // java.net.http sets these itself and refuses them from callers.
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade");

    public HttpSettings {
        headers = checkedHeaders(headers, username != null || kerberos != null || bearer != null);
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        retryPolicy = retryPolicy == null ? RetryPolicy.DEFAULT : retryPolicy;
        if (insecureSkipTlsVerify && trustStore != null) {
            throw new IllegalArgumentException("choose either a trust store or insecureSkipTlsVerify, not both");
        }
        if (username != null && kerberos != null) {
            throw new IllegalArgumentException("choose either a username/password or Kerberos (livy.auth), not both");
        }
        if (bearer != null && (username != null || kerberos != null)) {
            throw new IllegalArgumentException("choose either a bearer token (livy.auth) or a username/password, not"
                    + " both");
        }
    }

    /**
     * The headers, names trimmed, in order; IllegalArgumentException for a header the HTTP client sets itself, or
     * an Authorization header next to configured credentials ({@code withCredentials}).
     */
    public static Map<String, String> checkedHeaders(Map<String, String> headers, boolean withCredentials) {
        Map<String, String> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> {
                String lower = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
                if (lower.isEmpty() || value == null) {
                    throw new IllegalArgumentException("custom headers need a name and a value");
                }
                if (RESTRICTED_HEADERS.contains(lower)) {
                    throw new IllegalArgumentException("header " + name
                            + " is set by the HTTP client and cannot be configured");
                }
                String problem = HeaderText.problem(name, value);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
                if (withCredentials && lower.equals("authorization")) {
                    throw new IllegalArgumentException(
                            "choose either a username/password, Kerberos or a bearer token, or an Authorization"
                                    + " header, not both");
                }
                copy.put(name.trim(), value);
            });
        }
        return Collections.unmodifiableMap(copy);
    }

    /** These settings with Kerberos (instead of Basic auth) as {@code kerberos} says. */
    public HttpSettings withKerberos(KerberosSettings value) {
        return new HttpSettings(headers, connectTimeout, requestTimeout, trustStore, insecureSkipTlsVerify,
                retryPolicy, null, null, value, null);
    }

    @Override
    public String toString() {
        Map<String, String> shownHeaders = new TreeMap<>();
        headers.keySet().forEach(name -> shownHeaders.put(name, "***"));
        return "HttpSettings[headers=" + shownHeaders + ", connectTimeout=" + connectTimeout + ", requestTimeout="
                + requestTimeout + ", trustStore=" + trustStore + ", insecureSkipTlsVerify=" + insecureSkipTlsVerify
                + ", retryPolicy=" + retryPolicy + ", username=" + username + ", password="
                + (password == null ? null : "***") + ", kerberos=" + kerberos + ", bearer="
                + (bearer == null ? null : bearer.describe()) + "]";
    }

    /** A trust store file; {@code type} null means the JVM's default keystore type (PKCS12). */
    public record TrustStore(Path path, String password, String type) {
        public TrustStore {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "TrustStore[path=" + path + ", password=" + (password == null ? null : "***") + ", type=" + type
                    + "]";
        }
    }
}
