package io.livykernel.policy;

import com.google.gson.JsonObject;
import io.livykernel.analyze.ClusterUsage;

/**
 * What an application has used, and where the figures come from: the ResourceManager's accounting
 * ({@code accounted}: GB-hours, vcore-hours, queue, elapsed time), else what Spark's executors API says it holds
 * now ({@code held}), else neither, with the reason. Exactly one of {@code accounted}, {@code held} and
 * {@code unavailableBecause} is set; nothing unknown is ever shown as zero.
 *
 * @param source             where the figures were read (an address), null when there are none
 * @param unavailableBecause why there are no figures, or (with {@code held}) why the ResourceManager's are missing
 */
public record ResourceUsage(String appId, ApplicationUsage accounted, ExecutorsHeld held, String source,
                            String unavailableBecause) implements ClusterUsage {

    static ResourceUsage fromResourceManager(ApplicationUsage accounted, String resourceManager) {
        return new ResourceUsage(accounted.appId(), accounted, null, resourceManager, null);
    }

    static ResourceUsage fromExecutors(String appId, ExecutorsHeld held, String sparkApi, String noResourceManager) {
        return new ResourceUsage(appId, null, held, sparkApi, noResourceManager);
    }

    /** No figures, and why (local mode, nothing reachable...). */
    public static ResourceUsage unavailable(String appId, String why) {
        return new ResourceUsage(appId, null, null, null, why);
    }

    /** One line for %%info, the kernel's log, the batch commands and the analyser's report. */
    @Override
    public String line() {
        if (accounted != null) {
            return "Resources used (from the YARN ResourceManager at " + source + "): " + accounted.summary();
        }
        if (held != null) {
            return "Resources held now (from Spark's executors API at " + source + "; GB-hours and vcore-hours not"
                    + " available: " + unavailableBecause + "): " + appId + ": " + held.summary();
        }
        return "Resources used: not available (" + unavailableBecause + ")";
    }

    /**
     * {"appId", "source": "resourceManager|sparkExecutors|none", "address", and the figures known: gbHours,
     * vcoreHours, allocatedMB, allocatedVCores, runningContainers, queue, state, finalStatus, elapsedMs (from the
     * ResourceManager) or executors, cores, executorMemory (from Spark); "unavailable": why figures are missing}.
     * A figure that is not known is left out, never written as 0.
     */
    @Override
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("appId", appId);
        o.addProperty("source", accounted != null ? "resourceManager" : held != null ? "sparkExecutors" : "none");
        o.addProperty("address", source);
        if (accounted != null) {
            figure(o, "gbHours", accounted.gbHours());
            figure(o, "vcoreHours", accounted.vcoreHours());
            figure(o, "allocatedMB", accounted.allocatedMb());
            figure(o, "allocatedVCores", accounted.allocatedVcores());
            figure(o, "runningContainers", accounted.containers());
            figure(o, "elapsedMs", accounted.elapsedMillis());
            o.addProperty("queue", accounted.queue());
            o.addProperty("state", accounted.state());
            o.addProperty("finalStatus", accounted.finalStatus());
        }
        if (held != null) {
            o.addProperty("executors", held.executors());
            o.addProperty("cores", held.cores());
            o.addProperty("executorMemory", held.memoryEach());
        }
        o.addProperty("unavailable", unavailableBecause);
        return o;
    }

    private static void figure(JsonObject o, String key, double value) {
        if (value >= 0) {
            o.addProperty(key, value);
        }
    }

    private static void figure(JsonObject o, String key, long value) {
        if (value >= 0) {
            o.addProperty(key, value);
        }
    }
}
