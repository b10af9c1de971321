package io.livykernel.cli;

import io.livykernel.backend.livy.LivyException;
import io.livykernel.backend.livy.LivySessionNotFoundException;
import io.livykernel.batch.BatchExitCode;
import io.livykernel.batch.BatchSubmissionException;
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
        try {
            int id = BatchEndpoint.batchId(line);
            BatchEndpoint.client(BatchEndpoint.config(line)).deleteBatch(id);
            out.println("batch " + id + " killed");
            return BatchExitCode.SUCCESS.code();
        } catch (LivySessionNotFoundException e) {
            err.println("livy-kernel kill: no batch " + line.getArgList().get(0) + " on the server");
        } catch (BatchSubmissionException | LivyException e) {
            err.println("livy-kernel kill: " + BatchEndpoint.oneLine(e.getMessage()));
        }
        return BatchExitCode.SUBMISSION_ERROR.code();
    }
}
