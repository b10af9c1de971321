package io.livykernel.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;

/**
 * Why livy.tls's trust store cannot be loaded, in the user's words: naming the key, the file and the type,
 * never the password nor the key store library's own message.
 */
public final class TrustStoreProblem {
    private TrustStoreProblem() {
    }

    /** The sentence for a failure {@code e} of loading the store at {@code path} as {@code type}. */
    public static String describe(Exception e, Path path, String type) {
        if (e instanceof KeyStoreException && !(e.getCause() instanceof IOException)) {
            return "livy.tls.trustStoreType \"" + type + "\" is not a key store type Java knows; use PKCS12 or JKS";
        }
        return "livy.tls.trustStore " + path + " " + why(e, type)
                + ". Fix livy.tls in the configuration file and restart the kernel.";
    }

    private static String why(Exception e, String type) {
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
}
