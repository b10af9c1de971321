package io.livykernel.backend.livy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** The SSLContext for {@link LivySettings}: the JVM's trust store, a configured one, or (loudly) none. */
final class TlsContexts {
    private static final Logger LOG = Logger.getLogger(TlsContexts.class.getName());
    private static final AtomicBoolean INSECURE_WARNED = new AtomicBoolean();

    private TlsContexts() {
    }

    static SSLContext forSettings(LivySettings settings) {
        try {
            if (settings.insecureSkipTlsVerify()) {
                warnInsecureOnce(settings);
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

    private static TrustManager[] trustManagers(LivySettings.TrustStore store) {
        String type = store.type() == null ? KeyStore.getDefaultType() : store.type();
        char[] password = store.password() == null ? null : store.password().toCharArray();
        KeyStore keyStore;
        try {
            keyStore = KeyStore.getInstance(type);
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("livy.tls.trustStoreType \"" + type + "\" is not a key store type"
                    + " Java knows; use PKCS12 or JKS", e);
        }
        try (InputStream in = Files.newInputStream(store.path())) {
            keyStore.load(in, password);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore);
            return factory.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            // In the user's words, naming the file and type only: the store password must not reach any log.
            throw new IllegalArgumentException("livy.tls.trustStore " + store.path() + " " + whyUnusable(e, type)
                    + ". Fix livy.tls in the configuration file and restart the kernel.", e);
        }
    }

    private static String whyUnusable(Exception e, String type) {
        if (e instanceof NoSuchFileException) {
            return "does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot be read (permission denied)";
        }
        if (e.getCause() instanceof UnrecoverableKeyException) {
            return "cannot be opened with livy.tls.trustStorePassword (wrong password?)";
        }
        if (e instanceof IOException && !(e.getCause() instanceof GeneralSecurityException)) {
            return "is not a " + type + " trust store (livy.tls.trustStoreType), is damaged, or its password"
                    + " (livy.tls.trustStorePassword) is wrong";
        }
        return "cannot be used as a " + type + " trust store (" + e.getClass().getSimpleName() + ")";
    }

    private static void warnInsecureOnce(LivySettings settings) {
        if (INSECURE_WARNED.compareAndSet(false, true)) {
            LOG.warning("TLS VERIFICATION IS OFF for " + settings.baseUrl() + " (insecureSkipTlsVerify): any "
                    + "certificate and host name is accepted, so anyone on the network path can read and change "
                    + "the traffic to Livy, credentials included. Configure a trust store instead.");
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
