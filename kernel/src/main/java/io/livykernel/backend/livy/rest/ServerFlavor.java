package io.livykernel.backend.livy.rest;

import java.util.Locale;

/**
 * Which server speaks the Livy REST API at {@code livy.url} ({@code livy.flavor}). The differences that matter
 * to this kernel, from exacaster/lighter's SessionController, Application and SparkMagicCompatibility:
 * Lighter serves the API under {@code /lighter/api} (the URL sparkmagic users give it already ends there),
 * answers session lists and logs in Livy's shapes only when asked with {@code X-Compatibility-Mode: sparkmagic}
 * (else lists are {@code applications}), gives sessions and statements UUID ids, spells a cancelled statement
 * {@code canceled}, and runs PySpark sessions only.
 */
public enum ServerFlavor {
    LIVY("livy"),
    LIGHTER("lighter");

    private final String configName;

    ServerFlavor(String configName) {
        this.configName = configName;
    }

    /** The flavor for {@code livy.flavor}'s text; null for text that names none (the schema says so first). */
    public static ServerFlavor fromConfig(String text) {
        String wanted = text == null ? "livy" : text.trim().toLowerCase(Locale.ROOT);
        for (ServerFlavor flavor : values()) {
            if (flavor.configName.equals(wanted)) {
                return flavor;
            }
        }
        return null;
    }

    public String configName() {
        return configName;
    }

    /** A header this flavor needs on every request (name, value), or null. */
    String[] compatibilityHeader() {
        return this == LIGHTER ? new String[] {"X-Compatibility-Mode", "sparkmagic"} : null;
    }

    /**
     * Null when code of {@code kind} can run on this server, else why not, to be followed by what to do:
     * Lighter's sessions run every statement as Python, whatever kind it is sent with.
     */
    public String refusesKind(String kind) {
        if (this != LIGHTER || kind == null || kind.trim().equalsIgnoreCase("pyspark")) {
            return null;
        }
        return "Lighter (livy.flavor = lighter) runs PySpark only, not kind '" + kind.trim() + "'";
    }
}
