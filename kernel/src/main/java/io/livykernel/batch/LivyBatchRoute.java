package io.livykernel.batch;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import io.livykernel.backend.livy.rest.CreateBatchRequest;
import io.livykernel.backend.livy.LivyBackendConfig;
import io.livykernel.backend.livy.rest.LivyBatch;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.backend.livy.rest.LivyOutcomeUnknownException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code submit --via livy}: names the request, stages local files through WebHDFS when livy.batch.staging
 * is configured, sends POST /batches exactly once (exit 6 when Livy's answer was lost and its batch list
 * cannot tell), and follows the batch; on Ctrl-C the user kills it or detaches.
 */
final class LivyBatchRoute implements BatchRoute {
    private static final String JAR = "java -jar livy-kernel.jar";

    private final BatchSettings settings;
    private final ConfigureRules rules;
    private final BatchTerminal terminal;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration pollInterval;

    LivyBatchRoute(BatchSettings settings, ConfigureRules rules, BatchTerminal terminal, PrintStream out,
                   PrintStream err, Duration pollInterval) {
        this.settings = settings;
        this.rules = rules;
        this.terminal = terminal;
        this.out = out;
        this.err = err;
        this.pollInterval = pollInterval;
    }

    @Override
    public int run(CreateBatchRequest request, SubmitSpec spec)
            throws BatchSubmissionException, LivyException, InterruptedException {
        LivyBackendConfig config = settings.livy();
        request = BatchRequestFactory.named(request);
        String refused = config.http().flavor().refusesBatch(request);
        if (refused != null) {
            throw new BatchSubmissionException(refused + ": leave out --proxy-user (and proxyUser from"
                    + " livy.session.defaults). Nothing was sent.");
        }
        BatchStaging.Plan staged = null;
        if (settings.staging().isPresent()) {
            staged = BatchStaging.plan(request, settings.staging().get());
            request = staged.request();
        } else {
            reportLocalPaths(request);
        }

        if (spec.dryRun()) {
            if (staged != null && !staged.uploads().isEmpty()) {
                err.println("dry run: " + staged.uploads().size() + " local file(s) would be staged to "
                        + settings.staging().get().directory() + " through WebHDFS (nothing uploaded)");
            }
            err.println("dry run: POST " + config.endpoint().replaceAll("/+$", "") + "/batches (not sent):");
            out.println(redactedJson(request));
            return BatchExitCode.SUCCESS.code();
        }
        LivyClient client = settings.client();
        if (staged != null && !staged.uploads().isEmpty()) {
            StagingConfig webhdfs = settings.staging().get();
            BatchStaging.Result result = BatchStaging.upload(staged, webhdfs,
                    new WebHdfsClient(webhdfs, client.otherServices()));
            err.println("staged " + staged.uploads().size() + " file(s) in " + webhdfs.directory() + " ("
                    + result.uploaded() + " uploaded, " + result.reused() + " already there)");
        }
        err.println("submitting batch '" + request.name() + "' to " + config.endpoint());
        LivyBatch batch;
        try {
            batch = client.createBatchExactlyOnce(request);
        } catch (LivyOutcomeUnknownException e) {
            err.println("livy-kernel submit: unknown whether Livy accepted batch '" + request.name() + "': "
                    + BatchService.oneLine(e.getMessage()) + ". Do not submit it again blindly: look for a batch named '"
                    + request.name() + "' in Livy's batch list (GET /batches, the Livy UI) first; status ID then follows it.");
            return BatchExitCode.OUTCOME_UNKNOWN.code();
        }
        err.println("batch " + batch.id() + " submitted to " + config.endpoint());
        if (spec.noWait()) {
            out.println(batch.id());
            return BatchExitCode.SUCCESS.code();
        }
        return follow(client, batch.id(), spec.timeout());
    }

    private int follow(LivyClient client, String id, Duration timeout) throws InterruptedException {
        BatchFollower follower = new BatchFollower(client, out, err, pollInterval);
        terminal.onInterrupt(follower::requestStop);
        try {
            BatchFollower.Outcome outcome = follower.follow(id, timeout, true);
            if (!outcome.stopRequested()) {
                err.println("batch " + id + " ended: exit code " + outcome.exitCode().code() + " ("
                        + outcome.exitCode().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
                reportUsage(outcome.last());
                return outcome.exitCode().code();
            }
            String answer = terminal.ask("batch " + id + " is still running. Kill it (k) or detach (d)? [d] ");
            if (answer == null) {
                err.println("interrupted with no terminal to ask whether to kill: detaching");
            } else if (BatchTerminal.saysKill(answer)) {
                follower.kill(id);
                err.println("batch " + id + " killed");
                return BatchExitCode.KILLED.code();
            }
            err.println("detached from batch " + id + "; it keeps running. Follow it with: " + JAR + " logs --follow "
                    + id + " (status: " + JAR + " status " + id + ", kill: " + JAR + " kill " + id + ")");
            out.println(id);
            return BatchExitCode.NOT_FINISHED.code();
        } catch (LivyException e) {
            err.println("livy-kernel submit: lost contact with Livy while following batch " + id + ": "
                    + BatchService.oneLine(e.getMessage()) + "; it may still run (" + JAR + " status " + id + ")");
            return BatchExitCode.NOT_FINISHED.code();
        }
    }

    /** What the ended batch used, or why that cannot be told; a batch Livy never showed has nothing to tell. */
    private void reportUsage(LivyBatch batch) throws InterruptedException {
        if (batch == null) {
            return;
        }
        try {
            err.println(settings.usage(batch.appId(), batch.appInfo().sparkUiUrl()).line());
        } catch (BatchSubmissionException e) {
            err.println("Resources used: not available (" + BatchService.oneLine(e.getMessage()) + ")");
        }
    }

    private void reportLocalPaths(CreateBatchRequest request) {
        List<String> local = new ArrayList<>();
        Stream.of(List.of(request.file()), request.pyFiles(), request.files(), request.jars(), request.archives())
                .filter(l -> l != null).flatMap(List::stream).filter(f -> !ClusterPaths.isUri(f)).forEach(local::add);
        if (!local.isEmpty()) {
            err.println("note: sending local paths " + String.join(", ", local) + "; "
                    + settings.livy().http().flavor().readsLocalPaths());
        }
    }

    private String redactedJson(CreateBatchRequest request) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(rules.redacted(JsonParser.parseString(settings.livy().http().flavor().batchBody(request))
                        .getAsJsonObject()));
    }
}
