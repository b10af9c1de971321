package io.livykernel.policy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Locale;

/**
 * What a YARN application has used, as the ResourceManager reports it ({@code GET /ws/v1/cluster/apps/{appId}}):
 * memory and vcores integrated over time, what it holds now, its queue and how long it has run. Figures the
 * answer lacks are -1 and said as "not reported", never as zero.
 *
 * @param state         YARN's state (RUNNING, FINISHED, FAILED, KILLED...)
 * @param finalStatus   how it ended (SUCCEEDED, FAILED, KILLED; UNDEFINED while it runs)
 * @param memorySeconds   MB-seconds allocated so far (YARN's {@code memorySeconds})
 * @param vcoreSeconds    vcore-seconds allocated so far
 * @param allocatedMb     memory held now (0 once the application ended)
 * @param allocatedVcores vcores held now
 * @param containers      containers running now (the driver's or AM's included)
 */
public record ApplicationUsage(String appId, String state, String finalStatus, String queue, long elapsedMillis,
                               long memorySeconds, long vcoreSeconds, long allocatedMb, long allocatedVcores,
                               long containers) {

    /** Reads the RM's answer ({"app": {...}}); throws IllegalArgumentException when it is not one. */
    public static ApplicationUsage fromResourceManager(JsonObject answer) {
        JsonElement app = answer.get("app");
        if (app == null || !app.isJsonObject()) {
            throw new IllegalArgumentException("not a ResourceManager application answer (no \"app\" object)");
        }
        JsonObject a = app.getAsJsonObject();
        return new ApplicationUsage(text(a, "id"), text(a, "state"), text(a, "finalStatus"), text(a, "queue"),
                number(a, "elapsedTime"), number(a, "memorySeconds"), number(a, "vcoreSeconds"),
                number(a, "allocatedMB"), number(a, "allocatedVCores"), number(a, "runningContainers"));
    }

    /** Memory used so far in GB-hours (YARN's MB-seconds / 1024 / 3600); negative when not reported. */
    public double gbHours() {
        return memorySeconds < 0 ? -1 : memorySeconds / 1024.0 / 3600.0;
    }

    public double vcoreHours() {
        return vcoreSeconds < 0 ? -1 : vcoreSeconds / 3600.0;
    }

    /** Whether YARN has ended the application (its figures are then totals). */
    public boolean ended() {
        return "FINISHED".equals(state) || "FAILED".equals(state) || "KILLED".equals(state);
    }

    /** One line for %%info, the kernel's log and batch reports; an ended application's figures are its totals. */
    public String summary() {
        String held = ended() ? "" : String.format(Locale.ROOT, "; holding %s and %s%s now",
                allocatedMb < 0 ? "memory not reported" : allocatedMb + " MB",
                allocatedVcores < 0 ? "vcores not reported" : allocatedVcores + " vcores", inContainers());
        return String.format(Locale.ROOT, "%s: %s GB-hours, %s vcore-hours %s%s%s%s", appId, figure(gbHours()),
                figure(vcoreHours()), ended() ? "in total" : "so far", held, queue == null ? "" : "; queue " + queue,
                elapsedMillis < 0 ? "" : String.format(Locale.ROOT, "; %s for %.0f s", ended() ? "ran" : "running",
                        elapsedMillis / 1000.0));
    }

    /** The containers held, as Spark uses them on YARN: one application master (the driver, in cluster mode),
     * the others executors. */
    private String inContainers() {
        if (containers < 0) {
            return "";
        }
        if (containers == 0) {
            return " in no container";
        }
        long executors = containers - 1;
        return " in " + containers + (containers == 1 ? " container" : " containers") + " (the application master"
                + (executors == 0 ? "" : " and " + executors + (executors == 1 ? " executor" : " executors")) + ")";
    }

    private static String figure(double value) {
        return value < 0 ? "(not reported)" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static long number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        try {
            return e == null || e.isJsonNull() ? -1 : e.getAsLong();
        } catch (NumberFormatException | UnsupportedOperationException notANumber) {
            return -1;
        }
    }
}
