package io.livykernel.cli;

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
        return BatchEndpoint.onBatch(name(), line, out, err,
                (service, id) -> service.logs(id, line.hasOption("follow")));
    }
}
