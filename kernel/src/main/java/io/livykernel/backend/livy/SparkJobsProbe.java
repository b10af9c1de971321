package io.livykernel.backend.livy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.analyze.HttpSparkApi;
import io.livykernel.backend.livy.rest.AppInfo;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.http.HttpStack;
import io.livykernel.messages.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * What the Spark jobs of a running statement are doing, read from the Spark UI's REST API (the session's
 * appInfo.sparkUiUrl, usually through the YARN proxy): Livy runs each statement under the job group equal
 * to its id. Asked in the background so polling never waits on it. The first request gets a long budget (the
 * YARN proxy's first answer took 1.85 s on a real cluster); after a failure (no answer, a proxy that wants other
 * credentials) it waits, doubling the pause up to a minute, and asks again: Livy's own progress carries on
 * meanwhile, and a UI that answers later still gets its job names shown. On a Kerberized cluster the YARN
 * proxy wants SPNEGO too: the probe goes through the Livy client's HTTP stack and login.
 */
final class SparkJobsProbe implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SparkJobsProbe.class.getName());
    /** Budget of the first request, which may wait for a proxy's cold start. */
    static final Duration FIRST_TIMEOUT = Duration.ofSeconds(10);
    /** Budget of later requests, so a stuck UI shows stale job names for a few seconds at most. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final long FIRST_BACKOFF_MILLIS = 1000;
    static final long MAX_BACKOFF_MILLIS = 60_000;

    private final String uiUrl;
    private final HttpStack http;
    private final String jobsPath;
    private final LongSupplier clock;
    /** The UI client of the first request, then one with the shorter budget once it has answered. */
    private volatile HttpSparkApi ui;
    private volatile boolean answered;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spark-jobs-probe");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean asking = new AtomicBoolean();
    private final AtomicReference<String> latest = new AtomicReference<>();
    /** Touched by the worker only (one request at a time). */
    private long backoffMillis;
    private volatile long quietUntil;

    SparkJobsProbe(String uiUrl, HttpStack http, String jobsPath, LongSupplier clock) {
        this.uiUrl = uiUrl;
        this.http = http;
        this.jobsPath = jobsPath;
        this.clock = clock;
        this.ui = new HttpSparkApi(uiUrl, http, FIRST_TIMEOUT);
    }

    /**
     * A probe for the session, or null when its Spark UI address or application id is unknown; {@code http}
     * reaches the UI (the Livy client's stack: TLS trust, headers, credentials, its Kerberos login).
     */
    static SparkJobsProbe forSession(LivySession session, HttpStack http) {
        AppInfo info = session.appInfo();
        if (info == null || info.sparkUiUrl() == null || info.sparkUiUrl().isBlank() || session.appId() == null) {
            return null;
        }
        try {
            return new SparkJobsProbe(info.sparkUiUrl(), http, "applications/" + session.appId()
                    + "/jobs?status=running", System::currentTimeMillis);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Starts a refresh for a job group unless one is under way; {@link #latest()} shows the last answer. */
    void refresh(String jobGroup) {
        if (clock.getAsLong() < quietUntil || !asking.compareAndSet(false, true)) {
            return;
        }
        worker.execute(() -> {
            try {
                latest.set(describe(Json.gson().fromJson(ui.get(jobsPath), JsonArray.class), jobGroup));
                backoffMillis = 0;
                if (!answered) {
                    answered = true;
                    ui = new HttpSparkApi(uiUrl, http, TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                latest.set(null);
                backoffMillis = backoffMillis == 0 ? FIRST_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, 2 * backoffMillis);
                quietUntil = clock.getAsLong() + backoffMillis;
                long pause = backoffMillis;
                LOG.fine(() -> "Spark UI not readable at " + ui.describe() + jobsPath + " (" + e.getMessage()
                        + "); asking again in " + pause + " ms");
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
    static String describe(JsonArray jobs, String jobGroup) {
        List<String> parts = new ArrayList<>();
        for (JsonElement e : jobs) {
            JsonObject job = e.getAsJsonObject();
            if (!jobGroup.equals(Json.string(job, "jobGroup", null))
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
