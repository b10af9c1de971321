package io.livykernel.cli;

import io.livykernel.backend.livy.rest.LivyBatch;
import io.livykernel.batch.BatchExitCode;
import io.livykernel.batch.BatchService;
import io.livykernel.batch.BatchSubmissionException;
import io.livykernel.policy.ApplicationUsage;
import io.livykernel.policy.ResourceUsage;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code status ID}: a batch's state and application, with the exit code submit would give for it, and what it
 * has used; {@code status APPLICATION_ID}: the same for a YARN application (spark-submit's route), from the
 * ResourceManager.
 */
final class BatchStatusCommand implements Command {
    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "show a batch job's (or YARN application's) state and resources used; exit code as submit's (5: not"
                + " finished)";
    }

    @Override
    public String usage() {
        return "[--livy-url URL] BATCH_ID  |  status APPLICATION_ID";
    }

    @Override
    public Options options() {
        return BatchEndpoint.withCommonOptions(new Options());
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws InterruptedException {
        if (line.getArgList().size() == 1 && line.getArgList().get(0).startsWith("application_")) {
            return yarnStatus(line, line.getArgList().get(0), out, err);
        }
        return BatchEndpoint.onBatch(name(), line, out, err, (service, id) -> {
            LivyBatch batch = service.status(id);
            out.println("state: " + batch.rawState());
            out.println("appId: " + (batch.appId() == null ? "-" : batch.appId()));
            if (batch.appInfo().sparkUiUrl() != null) {
                out.println("tracking URL: " + batch.appInfo().sparkUiUrl());
            }
            if (batch.appInfo().driverLogUrl() != null) {
                out.println("driver log: " + batch.appInfo().driverLogUrl());
            }
            out.println(service.usage(batch.appId(), batch.appInfo().sparkUiUrl()).line());
            return BatchExitCode.forState(batch.state()).code();
        });
    }

    /** A YARN application, as its ResourceManager (yarn.resourceManagerUrl) reports it. */
    private static int yarnStatus(CommandLine line, String appId, PrintStream out, PrintStream err)
            throws InterruptedException {
        try {
            ResourceUsage usage = BatchEndpoint.settings(line, false).usage(appId, null);
            ApplicationUsage app = usage.accounted();
            if (app == null) {
                err.println("livy-kernel status: cannot read application " + appId + ": " + usage.unavailableBecause());
                return BatchExitCode.SUBMISSION_ERROR.code();
            }
            out.println("state: " + app.state() + (app.finalStatus() == null ? "" : " (" + app.finalStatus() + ")"));
            out.println("appId: " + appId);
            out.println(usage.line());
            return BatchExitCode.forYarn(app.state(), app.finalStatus()).code();
        } catch (BatchSubmissionException e) {
            err.println("livy-kernel status: " + BatchService.oneLine(e.getMessage()));
            return BatchExitCode.SUBMISSION_ERROR.code();
        }
    }
}
