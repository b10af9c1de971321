package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which server speaks the Livy REST API at {@code livy.url} ({@code livy.flavor}). The differences that matter
 * to this kernel, from exacaster/lighter's SessionController, Application and SparkMagicCompatibility:
 * Lighter serves the API under {@code /lighter/api} (the URL sparkmagic users give it already ends there),
 * answers session lists and logs in Livy's shapes only when asked with {@code X-Compatibility-Mode: sparkmagic}
 * (else lists are {@code applications}), gives sessions and statements UUID ids, spells a cancelled statement
 * {@code canceled}, and runs PySpark sessions only. Its batches (BatchController, BatchParams, Application) are
 * posted with {@code mainClass} for Livy's {@code className} and no {@code queue} or {@code proxyUser}, carry their
 * name in {@code submitParams}, are {@code busy} while they run, and have no log (404) until their driver runs.
 */
public enum ServerFlavor {
    LIVY("livy"),
    LIGHTER("lighter");

    /** A session or batch itself, its state or its log: what Lighter answers with an empty Optional when unknown. */
    private static final Pattern APPLICATION = Pattern.compile("/(sessions|batches)/[^/?]+(/(state|log))?(\\?.*)?$");

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
     * True when this server's 404 for {@code endpoint} means the session or batch is gone: Lighter's controllers
     * answer an unknown id with a bare 404 ("Not Found"), where Livy says "Session 'N' not found.". Lighter also
     * answers a batch's log with 404 until its driver runs; {@link LivyClient#getBatchLog} reads that as no log yet.
     */
    boolean notFoundIsGone(String endpoint) {
        return this == LIGHTER && APPLICATION.matcher(endpoint).find();
    }

    /**
     * The body of POST /batches as this server takes it. Lighter's BatchParams call the main class
     * {@code mainClass} and have no {@code queue}: it goes into conf as spark.yarn.queue, which is what
     * spark-submit's --queue sets (unless conf names a queue itself).
     */
    public String batchBody(CreateBatchRequest request) {
        if (this != LIGHTER) {
            return request.toJson();
        }
        JsonObject body = JsonParser.parseString(request.toJson()).getAsJsonObject();
        if (body.has("className")) {
            body.add("mainClass", body.remove("className"));
        }
        if (body.has("queue")) {
            if (!body.has("conf")) {
                body.add("conf", new JsonObject());
            }
            JsonObject conf = body.getAsJsonObject("conf");
            String queue = body.remove("queue").getAsString();
            if (!conf.has("spark.yarn.queue")) {
                conf.addProperty("spark.yarn.queue", queue);
            }
        }
        return JsonFields.GSON.toJson(body);
    }

    /**
     * Null when this server can run the batch, else why not, to be followed by what to do: Lighter runs every
     * batch as its own user (BatchParams have no proxyUser), and one meant to run as someone else must not run.
     */
    public String refusesBatch(CreateBatchRequest request) {
        if (this != LIGHTER || request.proxyUser() == null || request.proxyUser().isBlank()) {
            return null;
        }
        return "Lighter (livy.flavor = lighter) runs every batch as its own user, so it cannot run this one as proxy"
                + " user '" + request.proxyUser() + "'";
    }

    /** Where this server reads a batch's local paths from, for the note that names them. */
    public String readsLocalPaths() {
        return this == LIGHTER ? "Lighter hands them to spark-submit as they are, so they must exist where the"
                + " driver runs (e.g. in its container image)"
                : "Livy reads them only inside its livy.file.local-dir-whitelist, on a file system the cluster shares";
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
