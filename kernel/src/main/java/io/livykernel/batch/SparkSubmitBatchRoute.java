package io.livykernel.batch;

import com.google.gson.JsonObject;
import io.livykernel.backend.livy.rest.CreateBatchRequest;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code submit --via spark-submit}: the same request as a spark-submit command line, --master yarn
 * --deploy-mode cluster unless given (a local master runs in client mode), run by a {@link SparkSubmitLauncher}.
 */
final class SparkSubmitBatchRoute implements BatchRoute {
    private final Path sparkHome;
    private final String master;
    private final String deployMode;
    private final SparkSubmitLauncher launcher;
    private final ConfigureRules rules;
    private final PrintStream out;
    private final PrintStream err;

    /** {@code master} null means yarn; {@code deployMode} null means cluster, or client for a local master. */
    SparkSubmitBatchRoute(Path sparkHome, String master, String deployMode, SparkSubmitLauncher launcher,
                          ConfigureRules rules, PrintStream out, PrintStream err) {
        this.sparkHome = sparkHome;
        this.master = master == null ? "yarn" : master;
        this.deployMode = deployMode != null ? deployMode : this.master.startsWith("local") ? "client" : "cluster";
        this.launcher = launcher;
        this.rules = rules;
        this.out = out;
        this.err = err;
    }

    @Override
    public int run(CreateBatchRequest request, SubmitSpec spec) throws BatchSubmissionException, InterruptedException {
        if (!deployMode.equals("cluster") && !deployMode.equals("client")) {
            throw new BatchSubmissionException("--deploy-mode must be cluster or client (got '" + deployMode + "')");
        }
        if (master.startsWith("local") && deployMode.equals("cluster")) {
            throw new BatchSubmissionException("--master " + master + " runs the driver here: use --deploy-mode client"
                    + " (or leave it out)");
        }
        if (spec.noWait() && deployMode.equals("client")) {
            throw new BatchSubmissionException("--no-wait needs --deploy-mode cluster: in client mode the driver runs in"
                    + " this process and ends with it");
        }
        if (spec.noWait()) {
            // spark-submit then returns once the cluster has accepted the application
            request = withConf(request, master.startsWith("k8s") ? "spark.kubernetes.submission.waitAppCompletion"
                    : "spark.yarn.submit.waitAppCompletion", "false");
        }
        SparkSubmitCommandLine command = SparkSubmitCommandLine.of(request, master, deployMode);
        if (spec.dryRun()) {
            err.println("dry run: spark-submit command line (not run):");
            out.println(SparkSubmitCommandLine.of(redacted(request), master, deployMode)
                    .shellLine(sparkHome.resolve("bin/spark-submit").toString()));
            return BatchExitCode.SUCCESS.code();
        }
        err.println("launching " + sparkHome.resolve("bin/spark-submit") + " (--master " + master + " --deploy-mode "
                + deployMode + ")");
        return launcher.run(command, spec.noWait(), spec.timeout());
    }

    private static CreateBatchRequest withConf(CreateBatchRequest request, String key, String value) {
        return BatchRequestFactory.edited(request, json -> {
            JsonObject conf = json.has("conf") ? json.getAsJsonObject("conf") : new JsonObject();
            conf.addProperty(key, value);
            json.add("conf", conf);
        });
    }

    /** The request with the values of secret-looking settings masked, for display. */
    private CreateBatchRequest redacted(CreateBatchRequest request) {
        return BatchRequestFactory.edited(request, json -> {
            JsonObject masked = rules.redacted(json);
            json.keySet().clear();
            masked.entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
        });
    }
}
