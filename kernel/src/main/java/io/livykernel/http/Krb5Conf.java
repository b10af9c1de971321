package io.livykernel.http;

import java.util.Map;

/** Where the JDK's Kerberos reads krb5.conf from. */
final class Krb5Conf {
    static final String PROPERTY = "java.security.krb5.conf";

    private Krb5Conf() {
    }

    /**
     * MIT's tools (kinit, klist) read KRB5_CONFIG, the JDK only its system property and /etc/krb5.conf. So that
     * the kernel uses the realm setup that made the user's ticket, KRB5_CONFIG becomes the property unless the
     * property is set already (KRB5_CONFIG may list several files; the JDK takes one, the first).
     */
    static synchronized void adoptEnvironment(Map<String, String> env) {
        String fromEnv = env.get("KRB5_CONFIG");
        if (System.getProperty(PROPERTY) == null && fromEnv != null && !fromEnv.isBlank()) {
            System.setProperty(PROPERTY, fromEnv.split(":")[0]);
        }
    }

    /** The krb5.conf the JDK reads, for messages. */
    static String location() {
        String property = System.getProperty(PROPERTY);
        return property != null ? property : "/etc/krb5.conf";
    }
}
