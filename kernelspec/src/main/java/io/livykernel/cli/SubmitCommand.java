package io.livykernel.cli;

import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.backend.livy.rest.LivyHttpException;
import io.livykernel.batch.BatchExitCode;
import io.livykernel.batch.BatchRoute;
import io.livykernel.batch.BatchService;
import io.livykernel.batch.BatchSettings;
import io.livykernel.batch.BatchSubmissionException;
import io.livykernel.batch.SparkConfArgs;
import io.livykernel.batch.SubmitSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code submit}: runs an entry .py file (with a packed project), a jar with its main class, or a notebook
 * as a batch job, as a Livy batch ({@code --via livy}) or through spark-submit ({@code --via spark-submit}),
 * and follows it to the end. This command parses the options; {@link BatchService} builds the one request
 * both routes run, packed and checked before anything is sent or launched.
 */
final class SubmitCommand implements Command, HelpFooter {
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
            err.println(prefix + "Livy refused the batch: " + BatchService.oneLine(e.getMessage()));
        } catch (BatchSubmissionException | LivyException e) {
            // Not an answer of Livy's: unreachable server, a Kerberos login that failed before any request...
            err.println(prefix + BatchService.oneLine(e.getMessage()));
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
        Path sparkHome = viaSparkSubmit ? SparkAppLauncher.sparkHome(line.getOptionValue("spark-home")) : null;
        BatchSettings settings = BatchEndpoint.settings(line, !viaSparkSubmit);
        BatchService service = BatchEndpoint.service(settings, out, err);
        SubmitSpec spec = new SubmitSpec(notebook ? null : positional.get(0),
                notebook ? Path.of(line.getOptionValue("notebook")) : null, className, args, conf,
                line.hasOption("project") ? Path.of(line.getOptionValue("project")) : null,
                line.getOptionValue("staging-dir"), line.getOptionValue("conda-env"),
                line.getOptionValue("driver-memory"), line.getOptionValue("executor-memory"), executorCores,
                numExecutors, line.getOptionValue("queue"), line.getOptionValue("name"),
                line.getOptionValue("proxy-user"), timeout == null ? null : Duration.ofSeconds(timeout),
                line.hasOption("no-wait"), line.hasOption("dry-run"));
        BatchRoute route = viaSparkSubmit
                ? service.sparkSubmitRoute(sparkHome, line.getOptionValue("master"), line.getOptionValue("deploy-mode"),
                        (command, noWait, limit) -> new SparkAppLauncher(command, sparkHome, out, err,
                                new SystemTerminal(), settings).run(noWait, limit))
                : service.livyRoute();
        return service.submit(spec, route);
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
}
