package io.livykernel.batch;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livykernel.backend.livy.rest.CreateBatchRequest;
import io.livykernel.backend.livy.rest.LivyBatch;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.policy.AccountingTags;
import io.livykernel.policy.ResourceUsage;
import io.livykernel.policy.SessionLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the batch commands do, for both routes: {@link #submit} builds one request from the options, the
 * configuration and the notebook or project (everything packed and checked before anything is sent), then
 * hands it to a {@link BatchRoute}; {@link #status}, {@link #logs} and {@link #kill} act on a Livy batch.
 * Progress goes to {@code err}, job output and ids to {@code out}; the commands print the rest.
 */
public final class BatchService {
    static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final BatchSettings settings;
    private final ConfigureRules rules;
    private final BatchTerminal terminal;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration pollInterval;

    public BatchService(BatchSettings settings, ConfigureRules rules, BatchTerminal terminal, PrintStream out,
                        PrintStream err) {
        this(settings, rules, terminal, out, err, POLL_INTERVAL);
    }

    BatchService(BatchSettings settings, ConfigureRules rules, BatchTerminal terminal, PrintStream out, PrintStream err,
                 Duration pollInterval) {
        this.settings = settings;
        this.rules = rules;
        this.terminal = terminal;
        this.out = out;
        this.err = err;
        this.pollInterval = pollInterval;
    }

    /** The Livy route (POST /batches) of this service's configuration. */
    public BatchRoute livyRoute() {
        return new LivyBatchRoute(settings, rules, terminal, out, err, pollInterval);
    }

    /** The spark-submit route: {@code launcher} runs spark-submit of {@code sparkHome}. */
    public BatchRoute sparkSubmitRoute(Path sparkHome, String master, String deployMode, SparkSubmitLauncher launcher) {
        return new SparkSubmitBatchRoute(sparkHome, master, deployMode, launcher, rules, out, err);
    }

    /** Builds the request {@code spec} asks for and runs it by {@code route}; returns the exit code. */
    public int submit(SubmitSpec spec, BatchRoute route)
            throws BatchSubmissionException, LivyException, InterruptedException {
        return route.run(checkedRequest(request(spec)), spec);
    }

    /**
     * The complete request, as either route will send it (the Livy route adds only its name and staged
     * paths, spark-submit only whether it waits): the one place to check it against platform limits.
     */
    CreateBatchRequest checkedRequest(CreateBatchRequest request) throws BatchSubmissionException {
        SessionLimits limits = settings.livy().limits();
        JsonObject shaped = limits.applyPolicy(JsonParser.parseString(request.toJson()).getAsJsonObject());
        List<String> overCaps = limits.violations(shaped);
        if (!overCaps.isEmpty()) {
            throw new BatchSubmissionException("nothing was submitted: " + String.join("; ", overCaps));
        }
        String user = request.proxyUser() != null ? request.proxyUser() : System.getProperty("user.name");
        AccountingTags tags = new AccountingTags(user, request.name() != null ? request.name()
                : Path.of(request.file()).getFileName().toString(), settings.livy().platformTag());
        JsonElement conf = tags.applyTo(shaped).get("conf");
        return BatchRequestFactory.edited(request, json -> json.add("conf", conf));
    }

    /** The request from the options, livy.session.defaults and the notebook's %%configure. */
    CreateBatchRequest request(SubmitSpec spec) throws BatchSubmissionException {
        StagingDirectory staging = new StagingDirectory(spec.stagingDir());
        JsonObject notebookSettings = new JsonObject();
        String file;
        if (spec.notebook() != null) {
            NotebookJob job = readNotebook(spec.notebook());
            job.notes().forEach(note -> err.println("note: " + note));
            if (job.configureBody() != null) {
                notebookSettings = checkedConfigure(job.configureBody());
            }
            String base = spec.notebook().getFileName().toString().replaceFirst("\\.ipynb$", "");
            file = staging.write(base + ".py", job.source());
        } else {
            file = spec.entry();
            ClusterPaths.checkReadable(file, "entry file");
            checkEntryKind(file, spec.className());
            file = ClusterPaths.forCluster(file);
        }
        List<String> pyFiles = new ArrayList<>();
        if (spec.project() != null) {
            pyFiles.add(ProjectPacker.packInto(spec.project(), staging.dir()).toString());
        }
        return BatchRequestFactory.build(settings.livy().sessionDefaults(), notebookSettings,
                new BatchOptions(file, spec.className(), pyFiles, spec.args(), spec.conf(), spec.condaEnv(),
                        spec.driverMemory(), spec.executorMemory(), spec.executorCores(), spec.numExecutors(),
                        spec.queue(), spec.name(), spec.proxyUser()));
    }

    /** GET /batches/{id}. */
    public LivyBatch status(String id) throws BatchSubmissionException, LivyException, InterruptedException {
        return settings.client().getBatch(id);
    }

    /**
     * What application {@code appId} has used: from the ResourceManager (yarn.resourceManagerUrl, else the one
     * behind {@code sparkUiUrl}, a YARN proxy address), else Spark's executors API there; why not when neither tells.
     */
    public ResourceUsage usage(String appId, String sparkUiUrl) throws BatchSubmissionException, InterruptedException {
        return settings.usage(appId, sparkUiUrl);
    }

    /** Prints the batch's log; with {@code follow}, new lines until it ends (or Ctrl-C). Returns the exit code. */
    public int logs(String id, boolean follow) throws BatchSubmissionException, LivyException, InterruptedException {
        LivyClient client = settings.client();
        BatchFollower follower = new BatchFollower(client, out, err, pollInterval);
        if (!follow) {
            client.getBatch(id);   // an unknown id is an error, not an empty log
            follower.printNewLines(id, new BatchLogCursor());
            return BatchExitCode.SUCCESS.code();
        }
        terminal.onInterrupt(follower::requestStop);
        BatchFollower.Outcome outcome = follower.follow(id, null, false);
        if (outcome.stopRequested()) {
            err.println("stopped following batch " + id + "; it keeps running");
        }
        return outcome.exitCode().code();
    }

    /** DELETE /batches/{id}, which also makes Livy forget it. */
    public void kill(String id) throws BatchSubmissionException, LivyException, InterruptedException {
        settings.client().deleteBatch(id);
    }

    /** Messages of Livy errors can span lines (a server's stack trace); the commands print one. */
    public static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.strip().lines().findFirst().orElse(message).strip();
    }

    /** A .py entry, or a .jar with its --class. */
    private static void checkEntryKind(String file, String className) throws BatchSubmissionException {
        if (file.endsWith(".jar")) {
            if (className == null || className.isBlank()) {
                throw new BatchSubmissionException("a jar entry point needs its main class: --class NAME (e.g. --class"
                        + " org.apache.spark.examples.SparkPi)");
            }
        } else if (!file.endsWith(".py")) {
            throw new BatchSubmissionException("the entry file must be a .py file, or a .jar with --class (got " + file + ")");
        } else if (className != null) {
            throw new BatchSubmissionException("--class is for a jar entry point; " + file + " is a Python file");
        }
    }

    private static NotebookJob readNotebook(Path path) throws BatchSubmissionException {
        if (!Files.isRegularFile(path)) {
            throw new BatchSubmissionException("notebook not found: " + path.toAbsolutePath().normalize());
        }
        try {
            return NotebookConverter.convert(Files.readString(path, StandardCharsets.UTF_8), path.getFileName().toString());
        } catch (IOException e) {
            throw new BatchSubmissionException("cannot read notebook " + path + ": " + e.getMessage(), e);
        }
    }

    /** The notebook's %%configure, checked exactly as the magic checks it (same keys, types, locked keys). */
    private JsonObject checkedConfigure(String body) throws BatchSubmissionException {
        try {
            JsonObject parsed = rules.parse(body, settings.livy().lockedKeys());
            Stream.of("heartbeatTimeoutInSecond", "ttl", "idleTimeout").forEach(parsed::remove);
            return parsed;
        } catch (BatchSubmissionException e) {
            throw new BatchSubmissionException("the notebook's %%configure: " + String.join(" ",
                    e.getMessage().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()));
        }
    }
}
