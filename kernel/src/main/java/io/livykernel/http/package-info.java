/**
 * The kernel's one HTTP stack, used by every outbound call: Livy, the Spark UI through the YARN proxy, a History
 * Server and WebHDFS. It owns building the only {@code HttpClient} ({@link io.livykernel.http.HttpStack}), TLS
 * (verification, trust store: {@code TlsContexts}), the configured headers, connect and request timeouts, the
 * retry policy for requests that may safely run twice ({@link io.livykernel.http.RetryPolicy}), the per-server
 * SPNEGO cookie, and authentication behind {@link io.livykernel.http.Authenticator}: Basic, Kerberos
 * ({@link io.livykernel.http.SpnegoAuth} with its login, ticket cache reading and diagnostics) and a bearer token
 * ({@link io.livykernel.http.BearerAuth}, from a {@link io.livykernel.http.TokenSource}).
 * {@link io.livykernel.http.HttpConfig} reads the configuration file's HTTP keys, so a setting made once applies to
 * every endpoint. Secrets (passwords, header values, tokens, cookies) never appear in messages or logs.
 *
 * <p>It may import {@code config} and {@code messages} (and the JDK); it must not import {@code backend},
 * {@code execution}, {@code magics}, {@code cli}, {@code analyze} or {@code batch}, which use it.
 */
package io.livykernel.http;
