package io.livykernel.cli;

import io.livykernel.batch.BatchExitCode;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code kill ID}: stops a batch job (DELETE /batches/{id}, which also makes Livy forget it). */
final class BatchKillCommand implements Command {
    @Override
    public String name() {
        return "kill";
    }

    @Override
    public String summary() {
        return "kill a batch job (its followers exit with code 3)";
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
            service.kill(id);
            out.println("batch " + id + " killed");
            return BatchExitCode.SUCCESS.code();
        });
    }
}
