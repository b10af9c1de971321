package io.livykernel.backend.livy.rest;

import io.livykernel.config.Urls;
import io.livykernel.http.HttpSettings;
import io.livykernel.http.HttpSettings.TrustStore;
import io.livykernel.http.KerberosSettings;
import io.livykernel.http.RetryPolicy;
import io.livykernel.http.TokenSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to reach one Livy server. Build with {@link #builder(String)}. {@link #toString()} never shows the
 * password, the trust store password or custom header values (they may carry tokens).
 *
 * @param baseUrl               http(s) URL of Livy, possibly with a path prefix (a gateway such as Knox);
 *                              credentials written into the URL move to username/password
 * @param username              Basic auth user; null sends no Authorization header
 * @param headers               sent with every request after the standard ones, replacing same-named ones
 * @param requestedBy           value of X-Requested-By, which Livy's CSRF protection demands on every
 *                              request but GET
 * @param requestTimeout        how long one request may wait for its response
 * @param trustStore            certificates to trust instead of the JVM's default trust store; null = JVM's
 * @param insecureSkipTlsVerify accept any certificate and host name; logged as a warning, for tests only
 * @param kerberos              SPNEGO authentication; null when Livy is not kerberized
 * @param bearer                where a bearer token comes from; null sends none
 * @param flavor                which server answers (Apache Livy or Lighter); null means Apache Livy
 */
public record LivySettings(
        URI baseUrl,
        String username,
        String password,
        Map<String, String> headers,
        String requestedBy,
        Duration connectTimeout,
        Duration requestTimeout,
        TrustStore trustStore,
        boolean insecureSkipTlsVerify,
        RetryPolicy retryPolicy,
        KerberosSettings kerberos,
        TokenSource bearer,
        ServerFlavor flavor) {

    public static final String DEFAULT_REQUESTED_BY = "livy-kernel";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public LivySettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("Livy URL must be http(s)://host[:port][/path], was "
                    + printable(baseUrl));
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("Livy URL must not have a query or fragment: " + printable(baseUrl));
        }
        String userInfo = baseUrl.getUserInfo();
        if (userInfo != null && username == null) {
            int colon = userInfo.indexOf(':');
            username = colon < 0 ? userInfo : userInfo.substring(0, colon);
            password = colon < 0 ? null : userInfo.substring(colon + 1);
        }
        baseUrl = redacted(baseUrl);
        if (username != null && kerberos != null) {
            throw new IllegalArgumentException("choose either a username/password or Kerberos (livy.auth), not both");
        }
        headers = HttpSettings.checkedHeaders(headers, username != null || kerberos != null || bearer != null);
        requestedBy = requestedBy == null ? DEFAULT_REQUESTED_BY : requestedBy;
        connectTimeout = positive(connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout, "connectTimeout");
        requestTimeout = positive(requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout, "requestTimeout");
        if (insecureSkipTlsVerify && trustStore != null) {
            throw new IllegalArgumentException("choose either a trust store or insecureSkipTlsVerify, not both");
        }
        retryPolicy = retryPolicy == null ? RetryPolicy.DEFAULT : retryPolicy;
        flavor = flavor == null ? ServerFlavor.LIVY : flavor;
    }

    public static Builder builder(String baseUrl) {
        try {
            return new Builder(new URI(baseUrl.trim()));
        } catch (URISyntaxException e) {
            // The parser's message quotes the input, which may hold a password.
            throw new IllegalArgumentException("Livy URL is not a valid URL (at index " + e.getIndex() + ")");
        }
    }

    @Override
    public String toString() {
        Map<String, String> shownHeaders = new TreeMap<>();
        headers.keySet().forEach(name -> shownHeaders.put(name, "***"));
        return "LivySettings[baseUrl=" + baseUrl + ", username=" + username
                + ", password=" + (password == null ? null : "***") + ", headers=" + shownHeaders
                + ", requestedBy=" + requestedBy + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", trustStore=" + trustStore
                + ", insecureSkipTlsVerify=" + insecureSkipTlsVerify + ", flavor=" + flavor.configName()
                + ", retryPolicy=" + retryPolicy
                + ", kerberos=" + kerberos + ", bearer=" + (bearer == null ? null : bearer.describe()) + "]";
    }

    /** What the HTTP stack needs of these settings (all but the URL and X-Requested-By). */
    public HttpSettings httpSettings() {
        return new HttpSettings(headers, connectTimeout, requestTimeout, trustStore, insecureSkipTlsVerify,
                retryPolicy, username, password, kerberos, bearer);
    }

    private static String printable(URI url) {
        return Urls.redacted(url.toString());
    }

    /** The URL without user info or trailing slash: safe to print, and endpoints append to its path. */
    private static URI redacted(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return URI.create(url.getScheme() + "://" + url.getRawAuthority().replaceFirst("^.*@", "") + path);
    }

    private static Duration positive(Duration d, String name) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    /** Collects {@link LivySettings}; everything but the URL has a default. */
    public static final class Builder {
        private final URI baseUrl;
        private String username;
        private String password;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String requestedBy;
        private Duration connectTimeout;
        private Duration requestTimeout;
        private TrustStore trustStore;
        private boolean insecureSkipTlsVerify;
        private RetryPolicy retryPolicy;
        private KerberosSettings kerberos;
        private TokenSource bearer;
        private ServerFlavor flavor;

        private Builder(URI baseUrl) {
            this.baseUrl = baseUrl;
        }

        /** Everything {@code http} sets: credentials, headers, timeouts, TLS and retries. */
        public Builder http(HttpSettings http) {
            username = http.username();
            password = http.password();
            headers.putAll(http.headers());
            connectTimeout = http.connectTimeout();
            requestTimeout = http.requestTimeout();
            trustStore = http.trustStore();
            insecureSkipTlsVerify = http.insecureSkipTlsVerify();
            retryPolicy = http.retryPolicy();
            kerberos = http.kerberos();
            bearer = http.bearer();
            return this;
        }

        public Builder basicAuth(String user, String secret) {
            username = user;
            password = secret;
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder headers(Map<String, String> values) {
            headers.putAll(values);
            return this;
        }

        public Builder requestedBy(String value) {
            requestedBy = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder trustStore(Path path, String storePassword, String type) {
            trustStore = new TrustStore(path, storePassword, type);
            return this;
        }

        public Builder insecureSkipTlsVerify(boolean value) {
            insecureSkipTlsVerify = value;
            return this;
        }

        public Builder retryPolicy(RetryPolicy value) {
            retryPolicy = value;
            return this;
        }

        public Builder kerberos(KerberosSettings value) {
            kerberos = value;
            return this;
        }

        public Builder flavor(ServerFlavor value) {
            flavor = value;
            return this;
        }

        public LivySettings build() {
            return new LivySettings(baseUrl, username, password, headers, requestedBy, connectTimeout, requestTimeout,
                    trustStore, insecureSkipTlsVerify, retryPolicy, kerberos, bearer, flavor);
        }
    }
}
