package io.livykernel.policy;

import com.google.gson.JsonParseException;
import io.livykernel.analyze.SparkApi;
import io.livykernel.analyze.SparkApiException;
import io.livykernel.analyze.rest.ExecutorSummary;
import io.livykernel.analyze.rest.SparkEnvironment;
import io.livykernel.messages.Json;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a Spark application holds now, as its own REST API tells ({@code applications/{id}/executors}): the
 * executors alive (the driver not counted), their cores, and the memory each asked for
 * ({@code spark.executor.memory} from {@code applications/{id}/environment}, null when it cannot be read).
 * The fallback when the ResourceManager cannot be read: it knows nothing of time used, only of now.
 */
public record ExecutorsHeld(int executors, int cores, String memoryEach) {

    /** Reads the executors (and their memory setting) of {@code appId}. */
    public static ExecutorsHeld read(SparkApi api, String appId) throws SparkApiException, InterruptedException {
        String base = "applications/" + appId + "/";
        ExecutorSummary[] all;
        try {
            all = Json.gson().fromJson(api.get(base + "executors"), ExecutorSummary[].class);
        } catch (JsonParseException e) {
            throw new SparkApiException(200, "the executors answer is not Spark's executor list");
        }
        ExecutorSummary[] alive = all == null ? new ExecutorSummary[0]
                : Arrays.stream(all).filter(e -> e != null && e.isActive() && !e.isDriver())
                        .toArray(ExecutorSummary[]::new);
        return new ExecutorsHeld(alive.length, Arrays.stream(alive).mapToInt(ExecutorSummary::totalCores).sum(),
                alive.length == 0 ? null : memoryEach(api, base));
    }

    /** spark.executor.memory as the application runs with it (Spark's default 1g when unset); null if unknown. */
    private static String memoryEach(SparkApi api, String base) throws InterruptedException {
        try {
            SparkEnvironment environment = Json.gson().fromJson(api.get(base + "environment"), SparkEnvironment.class);
            return environment == null ? null
                    : environment.properties().getOrDefault("spark.executor.memory", "1g").strip();
        } catch (SparkApiException | JsonParseException unknown) {
            return null;
        }
    }

    /** "2 executors, 8 cores, 4g of executor memory each"; "no executors" when it holds none. */
    public String summary() {
        if (executors == 0) {
            return "no executors";
        }
        return String.format(Locale.ROOT, "%d executor%s, %d cores, %s", executors, executors == 1 ? "" : "s", cores,
                memoryEach == null ? "executor memory not reported" : memoryEach + " of executor memory each");
    }
}
