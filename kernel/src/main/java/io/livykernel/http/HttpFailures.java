package io.livykernel.http;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLHandshakeException;

/** Why a request through the {@link HttpStack} got no answer, in words that say what to check. */
public final class HttpFailures {
    private HttpFailures() {
    }

    /** True when repeating cannot help: a certificate does not become trusted by itself. */
    public static boolean isPermanent(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    /** One line for a failure of {@code HttpClient.send}; names no secret. */
    public static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException tls) {
                return "TLS handshake failed (" + tls.getMessage() + "); is the server's certificate, or its CA, in"
                        + " the trust store (livy.tls.trustStore)?";
            }
            if (t instanceof UnresolvedAddressException) {
                return "the host name does not resolve";
            }
            if (t instanceof ConnectException) {
                return "connection refused or unreachable";
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
