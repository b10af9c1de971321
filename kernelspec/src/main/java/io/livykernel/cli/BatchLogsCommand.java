package io.livykernel.cli;

import io.livykernel.batch.BatchExitCode;
import io.livykernel.batch.BatchFollower;
import io.livykernel.batch.BatchLogCursor;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code logs ID [--follow]}: a batch's log; with --follow, new lines until it ends, and its exit code. */
final class BatchLogsCommand implements Command {
    @Override
    public String name() {
        return "logs";
    }

    @Override
    public String summary() {
        return "print a batch job's log (--follow: until it ends, then exit with submit's code)";
    }

    @Override
    public String usage() {
        return "[--livy-url URL] [--follow] BATCH_ID";
    }

    @Override
    public Options options() {
        return BatchEndpoint.withCommonOptions(new Options())
                .addOption(Option.builder("f").longOpt("follow").desc("keep printing new lines until the job ends").build());
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws InterruptedException {
        return BatchEndpoint.onBatch(name(), line, err, (client, id) -> {
            BatchFollower follower = new BatchFollower(client, out, err, SubmitCommand.POLL_INTERVAL);
            if (!line.hasOption("follow")) {
                client.getBatch(id);   // an unknown id is an error, not an empty log
                follower.printNewLines(id, new BatchLogCursor());
                return BatchExitCode.SUCCESS.code();
            }
            SubmitCommand.onCtrlC(follower::requestStop);
            BatchFollower.Outcome outcome = follower.follow(id, null, false);
            if (outcome.stopRequested()) {
                err.println("stopped following batch " + id + "; it keeps running");
            }
            return outcome.exitCode().code();
        });
    }
}
