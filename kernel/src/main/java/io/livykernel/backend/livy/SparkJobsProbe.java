package io.livykernel.backend.livy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.analyze.HttpSparkApi;
import io.livykernel.http.HttpStack;
import io.livykernel.messages.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * What the Spark jobs of a running statement are doing, read from the Spark UI's REST API (the session's
 * appInfo.sparkUiUrl, usually through the YARN proxy): Livy runs each statement under the job group equal
 * to its id. Asked in the background so polling never waits on it; the first failure (no UI, a proxy that
 * wants other credentials) switches it off for the session, since Livy's own progress still works. It goes
 * through the Livy client's HTTP stack (TLS trust, headers, credentials; on a Kerberized cluster its login).
 */
final class SparkJobsProbe implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SparkJobsProbe.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpSparkApi ui;
    private final String jobsPath;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spark-jobs-probe");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean asking = new AtomicBoolean();
    private final AtomicBoolean disabled = new AtomicBoolean();
    private final AtomicReference<String> latest = new AtomicReference<>();

    private SparkJobsProbe(HttpSparkApi ui, String jobsPath) {
        this.ui = ui;
        this.jobsPath = jobsPath;
    }

    /**
     * A probe for the session, or null when its Spark UI address or application id is unknown; {@code http}
     * reaches the UI.
     */
    static SparkJobsProbe forSession(LivySession session, HttpStack http) {
        AppInfo info = session.appInfo();
        if (info == null || info.sparkUiUrl() == null || info.sparkUiUrl().isBlank() || session.appId() == null) {
            return null;
        }
        try {
            return new SparkJobsProbe(new HttpSparkApi(info.sparkUiUrl(), http, TIMEOUT),
                    "applications/" + session.appId() + "/jobs?status=running");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Starts a refresh for a job group unless one is under way; {@link #latest()} shows the last answer. */
    void refresh(int jobGroup) {
        if (disabled.get() || !asking.compareAndSet(false, true)) {
            return;
        }
        worker.execute(() -> {
            try {
                latest.set(describe(Json.gson().fromJson(ui.get(jobsPath), JsonArray.class), jobGroup));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                disabled.set(true);
                latest.set(null);
                LOG.fine(() -> "Spark UI not readable at " + ui.describe() + jobsPath + " (" + e.getMessage()
                        + "); job details off");
            } finally {
                asking.set(false);
            }
        });
    }

    /** Forgets the last answer (a new statement has a new job group). */
    void forget() {
        latest.set(null);
    }

    /** The last description, e.g. "Spark job 3: 120/400 tasks, 1 stage running", or null. */
    String latest() {
        return latest.get();
    }

    /** One line for the running jobs of a job group, or null when it has none running. */
    static String describe(JsonArray jobs, int jobGroup) {
        List<String> parts = new ArrayList<>();
        for (JsonElement e : jobs) {
            JsonObject job = e.getAsJsonObject();
            if (!String.valueOf(jobGroup).equals(Json.string(job, "jobGroup", null))
                    || !"RUNNING".equals(Json.string(job, "status", ""))) {
                continue;
            }
            int failed = Json.integer(job, "numFailedTasks", 0);
            parts.add("Spark job " + Json.integer(job, "jobId", -1) + ": " + Json.integer(job, "numCompletedTasks", 0)
                    + "/" + Json.integer(job, "numTasks", 0) + " tasks, " + Json.integer(job, "numActiveStages", 0)
                    + " stage(s) running" + (failed > 0 ? ", " + failed + " failed tasks" : ""));
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
