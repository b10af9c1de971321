package io.livykernel.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.livy.CreateBatchRequest;
import io.livykernel.backend.livy.LivyBackendConfig;
import io.livykernel.backend.livy.LivyBatch;
import io.livykernel.backend.livy.LivyClient;
import io.livykernel.backend.livy.LivyException;
import io.livykernel.backend.livy.LivyHttpException;
import io.livykernel.backend.livy.LivyOutcomeUnknownException;
import io.livykernel.batch.BatchExitCode;
import io.livykernel.batch.BatchFollower;
import io.livykernel.batch.BatchOptions;
import io.livykernel.batch.BatchRequestFactory;
import io.livykernel.batch.BatchStaging;
import io.livykernel.batch.BatchSubmissionException;
import io.livykernel.batch.ClusterPaths;
import io.livykernel.batch.NotebookConverter;
import io.livykernel.batch.NotebookJob;
import io.livykernel.batch.ProjectPacker;
import io.livykernel.batch.SparkConfArgs;
import io.livykernel.batch.SparkSubmitCommandLine;
import io.livykernel.batch.StagingConfig;
import io.livykernel.batch.WebHdfsClient;
import io.livykernel.magic.SessionSettings;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code submit}: runs an entry .py file (with a packed project), a jar with its main class, or a notebook
 * as a batch job, as a Livy batch ({@code --via livy}) or through spark-submit ({@code --via spark-submit}),
 * and follows it to the end. Both routes build the same request; everything is packed and checked before
 * anything is sent or launched, so a failed submission never leaves half a job on the cluster.
 */
final class SubmitCommand implements Command, HelpFooter {
    static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final String JAR = "java -jar livy-kernel.jar";

    @Override
    public String name() {
        return "submit";
    }

    @Override
    public String summary() {
        return "run a PySpark file, project or notebook as a batch job and follow it (exit code for schedulers)";
    }

    @Override
    public String usage() {
        return "[options] ENTRY.py [-- ARGS...]  |  submit [options] --class MAIN APP.jar [-- ARGS...]"
                + "  |  submit [options] --notebook NB.ipynb [-- ARGS...]";
    }

    @Override
    public String helpFooter() {
        return "\nExit codes:\n" + BatchExitCode.table()
                + "\n--via livy: local files (entry, project zip, notebook program) are sent as absolute paths, which"
                + " Livy reads only inside its livy.file.local-dir-whitelist, unless livy.batch.staging in the"
                + " configuration uploads them through WebHDFS.\n--via spark-submit: spark-submit of SPARK_HOME ships"
                + " local files itself; --master yarn --deploy-mode cluster unless given (a local master runs in"
                + " client mode).\n";
    }

    @Override
    public Options options() {
        Options options = BatchEndpoint.withCommonOptions(new Options());
        String[][] valued = {
                {"project", "DIR", "project directory packed into a zip for pyFiles (skips .git, __pycache__,"
                        + " virtualenvs and what its .gitignore excludes)"},
                {"notebook", "NB.ipynb", "run a notebook: its code cells in order, its %%configure as settings"},
                {"staging-dir", "DIR", "where the project zip and notebook program are written; for --via livy"
                        + " without livy.batch.staging it must be on a file system Livy can read (default: a new"
                        + " temporary directory)"},
                {"conda-env", "URI", "packed Python environment archive (as %%configure's condaEnv)"},
                {"driver-memory", "SIZE", "e.g. 4g"},
                {"executor-memory", "SIZE", "e.g. 8g"},
                {"executor-cores", "N", "cores per executor"},
                {"num-executors", "N", "number of executors"},
                {"queue", "QUEUE", "YARN queue"},
                {"name", "NAME", "application name"},
                {"proxy-user", "USER", "run the job as this user"},
                {"class", "MAIN", "main class of a jar entry point (JVM job)"},
                {"via", "ROUTE", "livy (default) or spark-submit"},
                {"spark-home", "DIR", "--via spark-submit: the Spark installation (default: SPARK_HOME)"},
                {"master", "URL", "--via spark-submit: Spark master (default: yarn)"},
                {"deploy-mode", "MODE", "--via spark-submit: cluster (default) or client"},
                {"timeout", "SECONDS", "kill the job and exit 4 when it has not ended after this long"},
        };
        for (String[] o : valued) {
            options.addOption(Option.builder().longOpt(o[0]).hasArg().argName(o[1]).desc(o[2]).build());
        }
        return options
                .addOption(Option.builder().longOpt("conf").hasArg().argName("KEY=VALUE")
                        .desc("Spark setting (repeatable)").build())
                .addOption(Option.builder().longOpt("no-wait").desc("print the batch id and exit 0 once submitted").build())
                .addOption(Option.builder().longOpt("dry-run")
                        .desc("print the Livy request or spark-submit command line (secrets redacted) and send"
                                + " nothing").build());
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws InterruptedException {
        String prefix = "livy-kernel submit: ";
        try {
            return submit(line, out, err);
        } catch (LivyHttpException e) {
            err.println(prefix + "Livy refused the batch: " + BatchEndpoint.oneLine(e.getMessage()));
        } catch (BatchSubmissionException | LivyException e) {
            // Not an answer of Livy's: unreachable server, a Kerberos login that failed before any request...
            err.println(prefix + BatchEndpoint.oneLine(e.getMessage()));
        }
        return BatchExitCode.SUBMISSION_ERROR.code();
    }

    private int submit(CommandLine line, PrintStream out, PrintStream err)
            throws BatchSubmissionException, LivyException, InterruptedException {
        boolean viaSparkSubmit = viaSparkSubmit(line);
        List<String> positional = line.getArgList();
        boolean notebook = line.hasOption("notebook");
        if (!notebook && positional.isEmpty()) {
            throw new BatchSubmissionException("no entry file: usage: submit [options] ENTRY.py [-- ARGS...]");
        }
        String className = line.getOptionValue("class");
        if (notebook && className != null) {
            throw new BatchSubmissionException("--class is for a jar entry point, not for --notebook");
        }
        List<String> args = notebook ? positional : positional.subList(1, positional.size());
        var conf = SparkConfArgs.parse(optionValues(line, "conf"));
        Integer executorCores = positiveInt(line, "executor-cores");
        Integer numExecutors = positiveInt(line, "num-executors");
        Integer timeout = positiveInt(line, "timeout");
        Path sparkHome = viaSparkSubmit ? SparkSubmitRoute.sparkHome(line.getOptionValue("spark-home")) : null;
        BatchEndpoint.Settings settings = BatchEndpoint.settings(line, !viaSparkSubmit);
        LivyBackendConfig config = settings.livy();
        Staging staging = new Staging(line.getOptionValue("staging-dir"));

        JsonObject notebookSettings = new JsonObject();
        String file;
        if (notebook) {
            NotebookJob job = readNotebook(Path.of(line.getOptionValue("notebook")));
            job.notes().forEach(note -> err.println("note: " + note));
            if (job.configureBody() != null) {
                notebookSettings = checkedConfigure(job.configureBody(), config);
            }
            String base = Path.of(line.getOptionValue("notebook")).getFileName().toString().replaceFirst("\\.ipynb$", "");
            file = staging.write(base + ".py", job.source());
        } else {
            file = positional.get(0);
            ClusterPaths.checkReadable(file, "entry file");
            checkEntryKind(file, className);
            file = ClusterPaths.forCluster(file);
        }
        List<String> pyFiles = new ArrayList<>();
        if (line.hasOption("project")) {
            pyFiles.add(ProjectPacker.packInto(Path.of(line.getOptionValue("project")), staging.dir()).toString());
        }
        CreateBatchRequest request = BatchRequestFactory.build(config.sessionDefaults(), notebookSettings,
                new BatchOptions(file, className, pyFiles, args, conf, line.getOptionValue("conda-env"),
                        line.getOptionValue("driver-memory"), line.getOptionValue("executor-memory"), executorCores,
                        numExecutors, line.getOptionValue("queue"), line.getOptionValue("name"),
                        line.getOptionValue("proxy-user")));
        Duration timeoutDuration = timeout == null ? null : Duration.ofSeconds(timeout);
        if (viaSparkSubmit) {
            return viaSparkSubmit(line, request, sparkHome, timeoutDuration, out, err);
        }
        request = BatchRequestFactory.named(request);
        BatchStaging.Plan staged = null;
        if (settings.staging().isPresent()) {
            staged = BatchStaging.plan(request, settings.staging().get());
            request = staged.request();
        } else {
            reportLocalPaths(request, err);
        }

        if (line.hasOption("dry-run")) {
            if (staged != null && !staged.uploads().isEmpty()) {
                err.println("dry run: " + staged.uploads().size() + " local file(s) would be staged to "
                        + settings.staging().get().directory() + " through WebHDFS (nothing uploaded)");
            }
            err.println("dry run: POST " + config.endpoint().replaceAll("/+$", "") + "/batches (not sent):");
            out.println(redactedJson(request));
            return BatchExitCode.SUCCESS.code();
        }
        LivyClient client = BatchEndpoint.client(config);
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
                    + BatchEndpoint.oneLine(e.getMessage()) + ". Do not submit it again blindly: look for a batch named '"
                    + request.name() + "' in Livy's batch list (GET /batches, the Livy UI) first; status ID then follows it.");
            return BatchExitCode.OUTCOME_UNKNOWN.code();
        }
        err.println("batch " + batch.id() + " submitted to " + config.endpoint());
        if (line.hasOption("no-wait")) {
            out.println(batch.id());
            return BatchExitCode.SUCCESS.code();
        }
        return follow(client, batch.id(), timeoutDuration, err, out);
    }

    /** --via: livy or spark-submit; the options of the other route are usage errors, not silently ignored. */
    private static boolean viaSparkSubmit(CommandLine line) throws BatchSubmissionException {
        String via = line.getOptionValue("via", "livy");
        if (!via.equals("livy") && !via.equals("spark-submit")) {
            throw new BatchSubmissionException("--via must be livy or spark-submit (got '" + via + "')");
        }
        boolean sparkSubmit = via.equals("spark-submit");
        for (String option : sparkSubmit ? List.of("livy-url") : List.of("spark-home", "master", "deploy-mode")) {
            if (line.hasOption(option)) {
                throw new BatchSubmissionException("--" + option + " applies to --via " + (sparkSubmit ? "livy" : "spark-submit")
                        + " only");
            }
        }
        return sparkSubmit;
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

    private static int viaSparkSubmit(CommandLine line, CreateBatchRequest request, Path sparkHome, Duration timeout,
                                      PrintStream out, PrintStream err)
            throws BatchSubmissionException, InterruptedException {
        String master = line.getOptionValue("master", "yarn");
        boolean localMaster = master.startsWith("local");
        String deployMode = line.getOptionValue("deploy-mode", localMaster ? "client" : "cluster");
        if (!deployMode.equals("cluster") && !deployMode.equals("client")) {
            throw new BatchSubmissionException("--deploy-mode must be cluster or client (got '" + deployMode + "')");
        }
        if (localMaster && deployMode.equals("cluster")) {
            throw new BatchSubmissionException("--master " + master + " runs the driver here: use --deploy-mode client"
                    + " (or leave it out)");
        }
        boolean noWait = line.hasOption("no-wait");
        if (noWait && deployMode.equals("client")) {
            throw new BatchSubmissionException("--no-wait needs --deploy-mode cluster: in client mode the driver runs in"
                    + " this process and ends with it");
        }
        if (noWait) {
            // spark-submit then returns once the cluster has accepted the application
            request = withConf(request, master.startsWith("k8s") ? "spark.kubernetes.submission.waitAppCompletion"
                    : "spark.yarn.submit.waitAppCompletion", "false");
        }
        SparkSubmitCommandLine command = SparkSubmitCommandLine.of(request, master, deployMode);
        if (line.hasOption("dry-run")) {
            err.println("dry run: spark-submit command line (not run):");
            out.println(SparkSubmitCommandLine.of(redacted(request), master, deployMode)
                    .shellLine(sparkHome.resolve("bin/spark-submit").toString()));
            return BatchExitCode.SUCCESS.code();
        }
        err.println("launching " + sparkHome.resolve("bin/spark-submit") + " (--master " + master + " --deploy-mode "
                + deployMode + ")");
        return new SparkSubmitRoute(command, sparkHome, out, err).run(noWait, timeout);
    }

    private static CreateBatchRequest withConf(CreateBatchRequest request, String key, String value) {
        return BatchRequestFactory.edited(request, json -> {
            JsonObject conf = json.has("conf") ? json.getAsJsonObject("conf") : new JsonObject();
            conf.addProperty(key, value);
            json.add("conf", conf);
        });
    }

    /** The request with the values of secret-looking settings masked, for display. */
    private static CreateBatchRequest redacted(CreateBatchRequest request) {
        return BatchRequestFactory.edited(request, json -> {
            JsonObject masked = SessionSettings.redacted(json);
            json.keySet().clear();
            masked.entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
        });
    }

    private static int follow(LivyClient client, int id, Duration timeout, PrintStream err, PrintStream out)
            throws InterruptedException {
        BatchFollower follower = new BatchFollower(client, out, err, POLL_INTERVAL);
        onCtrlC(follower::requestStop);
        try {
            BatchFollower.Outcome outcome = follower.follow(id, timeout, true);
            if (!outcome.stopRequested()) {
                err.println("batch " + id + " ended: exit code " + outcome.exitCode().code() + " ("
                        + outcome.exitCode().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
                return outcome.exitCode().code();
            }
            Console console = System.console();
            if (console != null) {
                String answer = console.readLine("%nbatch %d is still running. Kill it (k) or detach (d)? [d] ", id);
                if (answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("k")) {
                    follower.kill(id);
                    err.println("batch " + id + " killed");
                    return BatchExitCode.KILLED.code();
                }
            } else {
                err.println("interrupted with no terminal to ask whether to kill: detaching");
            }
            err.println("detached from batch " + id + "; it keeps running. Follow it with: " + JAR + " logs --follow "
                    + id + " (status: " + JAR + " status " + id + ", kill: " + JAR + " kill " + id + ")");
            out.println(id);
            return BatchExitCode.NOT_FINISHED.code();
        } catch (LivyException e) {
            err.println("livy-kernel submit: lost contact with Livy while following batch " + id + ": "
                    + BatchEndpoint.oneLine(e.getMessage()) + "; it may still run (" + JAR + " status " + id + ")");
            return BatchExitCode.NOT_FINISHED.code();
        }
    }

    /** Ctrl-C stops following instead of ending the JVM, so the user can choose to kill or detach. */
    @SuppressWarnings("restriction")
    static void onCtrlC(Runnable stopFollowing) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> stopFollowing.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no signal support: Ctrl-C ends the process and the batch keeps running
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
    private static JsonObject checkedConfigure(String body, LivyBackendConfig config) throws BatchSubmissionException {
        try {
            JsonObject settings = SessionSettings.parse(body, config.lockedKeys());
            Stream.of("heartbeatTimeoutInSecond", "ttl", "idleTimeout").forEach(settings::remove);
            return settings;
        } catch (UserFacingException e) {
            throw new BatchSubmissionException("the notebook's %%configure: " + String.join(" ",
                    e.getMessage().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()));
        }
    }

    private static void reportLocalPaths(CreateBatchRequest request, PrintStream err) {
        List<String> local = new ArrayList<>();
        Stream.of(List.of(request.file()), request.pyFiles(), request.files(), request.jars(), request.archives())
                .filter(l -> l != null).flatMap(List::stream).filter(f -> !ClusterPaths.isUri(f)).forEach(local::add);
        if (!local.isEmpty()) {
            err.println("note: sending local paths " + String.join(", ", local) + "; Livy reads them only inside its"
                    + " livy.file.local-dir-whitelist, on a file system the cluster shares");
        }
    }

    private static String redactedJson(CreateBatchRequest request) {
        JsonObject json = JsonParser.parseString(request.toJson()).getAsJsonObject();
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(SessionSettings.redacted(json));
    }

    private static List<String> optionValues(CommandLine line, String name) {
        String[] values = line.getOptionValues(name);
        return values == null ? List.of() : List.of(values);
    }

    private static Integer positiveInt(CommandLine line, String name) throws BatchSubmissionException {
        String value = line.getOptionValue(name);
        if (value == null) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BatchSubmissionException("--" + name + " must be a positive whole number (got '" + value + "')");
    }

    /** The directory for generated files: --staging-dir, else a temporary directory made on first use. */
    private static final class Staging {
        private final String given;
        private Path dir;

        Staging(String given) {
            this.given = given;
        }

        Path dir() throws BatchSubmissionException {
            if (dir == null) {
                try {
                    dir = given != null ? Files.createDirectories(Path.of(given)).toAbsolutePath().normalize()
                            : Files.createTempDirectory("livy-submit-").toAbsolutePath();
                } catch (IOException e) {
                    throw new BatchSubmissionException("cannot create the staging directory " + given + ": " + e.getMessage(), e);
                }
            }
            return dir;
        }

        String write(String name, String content) throws BatchSubmissionException {
            Path target = dir().resolve(name);
            try {
                Files.writeString(target, content, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new BatchSubmissionException("cannot write " + target + ": " + e.getMessage(), e);
            }
            return target.toString();
        }
    }
}
