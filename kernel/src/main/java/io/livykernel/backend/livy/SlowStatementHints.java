package io.livykernel.backend.livy;

import com.google.gson.JsonObject;
import io.livykernel.analyze.Analyzer;
import io.livykernel.analyze.HttpSparkApi;
import io.livykernel.analyze.SparkApi;
import io.livykernel.analyze.SparkApiException;
import io.livykernel.analyze.StatementHint;
import io.livykernel.api.CellOutput;
import io.livykernel.api.MimeBundle;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.backend.livy.view.SessionViews;
import io.livykernel.config.KernelConfig;
import io.livykernel.http.HttpStack;
import io.livykernel.messages.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The line under a slow cell: after a cell's statement ran at least {@code analyze.hint.slowCellSeconds} on a
 * session whose Spark UI address Livy reports, the jobs of its job group (Livy runs each statement under the job
 * group equal to its id) are analysed on a thread of their own, and a severe or critical finding becomes one
 * display_data under the cell ({@link StatementHint}). The cell never waits for it: its output has been shown and
 * its result is returned before the analysis starts, so the line usually arrives after the execute_reply. It goes
 * out with the slow cell's own parent header even when the next cell has started: frontends route output by its
 * parent, so it cannot land in the next cell's output (JupyterLab shows it under the slow cell, which it keeps
 * listening to until it is run again; frontends that stop listening to a finished cell drop it); dropping it
 * instead would hide every hint of a "Run all", whose next cell starts at once. A failed analysis is only logged.
 */
final class SlowStatementHints implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SlowStatementHints.class.getName());
    /** Each request of the analysis; a Spark UI that hangs costs only this thread's time. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Analyses waiting behind the running one; more slow cells than that in a row are not analysed. */
    private static final int QUEUED = 4;

    /** Whether slow cells are analysed and from how long on ({@code analyze.hint} in the configuration). */
    record Settings(boolean enabled, Duration slowCell) {
        static final Settings DEFAULT = new Settings(true, Duration.ofSeconds(60));

        static Settings from(KernelConfig config) {
            JsonObject hint = Json.object(config.section("analyze"), "hint");
            return new Settings(Json.bool(hint, "enabled", DEFAULT.enabled),
                    Duration.ofSeconds(Json.integer(hint, "slowCellSeconds", (int) DEFAULT.slowCell.toSeconds())));
        }
    }

    private final Settings settings;
    private final Function<String, SparkApi> uiAt;
    private final Analyzer analyzer;
    private final Executor worker;

    /** Reads each session's Spark UI through {@code http} (the Livy client's stack: TLS, credentials, Kerberos). */
    SlowStatementHints(Settings settings, HttpStack http, Analyzer analyzer) {
        this(settings, url -> new HttpSparkApi(url, http, REQUEST_TIMEOUT), analyzer, worker());
    }

    SlowStatementHints(Settings settings, Function<String, SparkApi> uiAt, Analyzer analyzer, Executor worker) {
        this.settings = settings;
        this.uiAt = uiAt;
        this.analyzer = analyzer;
        this.worker = worker;
    }

    private static ExecutorService worker() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED), r -> {
            Thread t = new Thread(r, "slow-cell-hint");
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether a statement that ran {@code tookMillis} on {@code session} is analysed. */
    boolean wanted(LivySession session, long tookMillis) {
        return settings.enabled() && tookMillis >= settings.slowCell().toMillis() && session != null
                && session.appId() != null && session.appInfo().sparkUiUrl() != null
                && !session.appInfo().sparkUiUrl().isBlank();
    }

    /**
     * Called when a cell's statement ended with its output shown; analyses it in the background when it was slow
     * and shows at most one line in {@code out}.
     */
    void statementEnded(LivySession session, String statementId, long tookMillis, CellOutput out) {
        if (!wanted(session, tookMillis)) {
            return;
        }
        String appId = session.appId();
        String uiUrl = session.appInfo().sparkUiUrl();
        try {
            worker.execute(() -> analyse(uiUrl, appId, statementId, out));
        } catch (RejectedExecutionException e) {
            LOG.info(() -> "statement " + statementId + " is not analysed for a hint: " + QUEUED + " slow cells"
                    + " already wait for theirs");
        }
    }

    private void analyse(String uiUrl, String appId, String statementId, CellOutput out) {
        try {
            Optional<String> hint = new StatementHint(uiAt.apply(uiUrl), analyzer).forJobGroup(appId,
                    statementId);
            hint.ifPresent(line -> out.display(MimeBundle.textAndHtml(line, "<div style=\"color:#8a4b00\">"
                    + SessionViews.escape(line) + "</div>"), new JsonObject(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SparkApiException e) { // the cell is done and ok: a hint that cannot be made is only logged
            LOG.info(() -> "no hint for statement " + statementId + " of " + appId + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "no hint for statement " + statementId + " of " + appId + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (worker instanceof ExecutorService service) {
            service.shutdownNow();
        }
    }
}
