package io.livykernel.http;

import io.livykernel.config.TrustStoreProblem;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** The SSLContext for {@link HttpSettings}: the JVM's trust store, a configured one, or (loudly) none. */
final class TlsContexts {
    private static final Logger LOG = Logger.getLogger(TlsContexts.class.getName());
    private static final AtomicBoolean INSECURE_WARNED = new AtomicBoolean();

    private TlsContexts() {
    }

    static SSLContext forSettings(HttpSettings settings) {
        try {
            if (settings.insecureSkipTlsVerify()) {
                warnInsecureOnce();
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustEverything()}, null);
                return context;
            }
            if (settings.trustStore() != null) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trustManagers(settings.trustStore()), null);
                return context;
            }
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(HttpSettings.TrustStore store) {
        String type = store.type() == null ? KeyStore.getDefaultType() : store.type();
        char[] password = store.password() == null ? null : store.password().toCharArray();
        try (InputStream in = Files.newInputStream(store.path())) {
            KeyStore keyStore = KeyStore.getInstance(type);
            keyStore.load(in, password);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore);
            return factory.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            // In the user's words, naming the file and type only: the store password must not reach any log.
            throw new IllegalArgumentException(TrustStoreProblem.describe(e, store.path(), type), e);
        }
    }

    private static void warnInsecureOnce() {
        if (INSECURE_WARNED.compareAndSet(false, true)) {
            LOG.warning("TLS VERIFICATION IS OFF (insecureSkipTlsVerify, livy.tls.verify false): any "
                    + "certificate and host name is accepted, so anyone on the network path can read and change "
                    + "the traffic to Livy, the Spark UI and WebHDFS, credentials included. Configure a trust store"
                    + " instead.");
        }
    }

    /** Accepts any server. Being an X509ExtendedTrustManager it also skips the JDK's host name check. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
