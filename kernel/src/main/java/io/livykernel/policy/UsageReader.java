package io.livykernel.policy;

import io.livykernel.analyze.HttpSparkApi;
import io.livykernel.analyze.SparkApiException;
import io.livykernel.config.KernelConfig;
import io.livykernel.http.HttpStack;
import io.livykernel.messages.Json;
import java.net.URI;
import java.util.Optional;

/**
 * Finds out what a cluster application has used: for a YARN application from the ResourceManager (configured as
 * {@code yarn.resourceManagerUrl}, else the one serving the application's YARN proxy address); when that cannot
 * be read, and on Kubernetes, from Spark's executors API behind the application's Spark UI address (what it
 * holds now).
 * Both through the one HTTP stack, so TLS, headers and Kerberos apply as for Livy.
 */
public final class UsageReader {
    /** Where the ResourceManager's address is configured. */
    public static final String RESOURCE_MANAGER_KEY = "yarn.resourceManagerUrl";

    private final HttpStack http;
    private final URI configured;

    /** {@code configuredResourceManager}: yarn.resourceManagerUrl, or null to find it from the proxy address. */
    public UsageReader(HttpStack http, URI configuredResourceManager) {
        this.http = http;
        this.configured = configuredResourceManager;
    }

    /** yarn.resourceManagerUrl of {@code config} (checked by its schema), or null. */
    public static URI configuredResourceManager(KernelConfig config) {
        String url = Json.string(config.section("yarn"), "resourceManagerUrl", null);
        return url == null || url.isBlank() ? null : URI.create(url.strip());
    }

    /**
     * What {@code appId} has used. {@code sparkUiUrl} is its Spark UI (usually a YARN proxy address, as Livy's
     * appInfo.sparkUiUrl), or null when none is known (spark-submit's route).
     */
    public ResourceUsage read(String appId, String sparkUiUrl) throws InterruptedException {
        if (appId == null || appId.isBlank() || appId.startsWith("local-")) {
            return ResourceUsage.unavailable(appId, "no cluster application: Spark runs in local mode here, or the"
                    + " cluster has not assigned one yet");
        }
        String noResourceManager;
        if (!appId.startsWith("application_")) {
            // Only YARN has a ResourceManager; on Kubernetes (spark-...) the executors held now are all there is.
            noResourceManager = "application " + appId + (appId.startsWith("spark-") ? " runs on Kubernetes"
                    : " is not a YARN application") + ", which has no ResourceManager to give its totals";
        } else {
            Optional<URI> address = configured != null ? Optional.of(configured)
                    : ResourceManager.fromProxyUrl(sparkUiUrl);
            if (address.isPresent()) {
                ResourceManager rm = new ResourceManager(http, address.get());
                try {
                    return ResourceUsage.fromResourceManager(rm.application(appId), rm.describe());
                } catch (ResourceManager.Unreadable e) {
                    noResourceManager = e.getMessage();
                }
            } else {
                noResourceManager = "no ResourceManager address (set " + RESOURCE_MANAGER_KEY + " in the"
                        + " configuration" + (sparkUiUrl == null ? ")" : "; the Spark UI address " + sparkUiUrl
                        + " is not a YARN proxy's)");
            }
        }
        if (sparkUiUrl == null || !sparkUiUrl.matches("(?i)https?://.+")) {
            return ResourceUsage.unavailable(appId, noResourceManager + "; no Spark UI address to ask the executors");
        }
        HttpSparkApi spark;
        try {
            spark = new HttpSparkApi(sparkUiUrl, http, ResourceManager.TIMEOUT);
        } catch (IllegalArgumentException e) {
            return ResourceUsage.unavailable(appId, noResourceManager + "; the Spark UI address is not a URL");
        }
        try {
            return ResourceUsage.fromExecutors(appId, ExecutorsHeld.read(spark, appId), spark.describe(),
                    noResourceManager);
        } catch (SparkApiException e) {
            return ResourceUsage.unavailable(appId, noResourceManager + "; Spark's executors API at "
                    + spark.describe() + ": " + e.getMessage());
        }
    }
}
