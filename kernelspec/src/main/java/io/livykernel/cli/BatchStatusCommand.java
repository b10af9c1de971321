package io.livykernel.cli;

import io.livykernel.backend.livy.rest.LivyBatch;
import io.livykernel.batch.BatchExitCode;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code status ID}: a batch's state and application, with the exit code submit would give for it. */
final class BatchStatusCommand implements Command {
    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "show a batch job's state and YARN application; exit code as submit's (5: not finished)";
    }

    @Override
    public String usage() {
        return "[--livy-url URL] BATCH_ID";
    }

    @Override
    public Options options() {
        return BatchEndpoint.withCommonOptions(new Options());
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws InterruptedException {
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
            return BatchExitCode.forState(batch.state()).code();
        });
    }
}
