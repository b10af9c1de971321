package io.livykernel.cli;

import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.backend.livy.rest.LivySessionNotFoundException;
import io.livykernel.batch.BatchExitCode;
import io.livykernel.batch.BatchService;
import io.livykernel.batch.BatchSettings;
import io.livykernel.batch.BatchSubmissionException;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.extension.OpaqueIds;
import io.livykernel.logging.KernelLogging;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The Livy endpoint of the batch commands: the kernel's own "livy" configuration section (auth, headers,
 * TLS, session defaults), with {@code --livy-url} over LIVY_URL over livy.url.
 */
final class BatchEndpoint {
    /** Stands in for the Livy URL where only the batch settings of the configuration are read. */
    private static final String UNUSED_ENDPOINT = "http://127.0.0.1:1";
    private BatchEndpoint() {
    }

    static Options withCommonOptions(Options options) {
        return options.addOption(Option.builder().longOpt("livy-url").hasArg().argName("URL")
                .desc("Livy endpoint (default: LIVY_URL, else livy.url of the configuration file)").build());
    }

    /**
     * The configuration; {@code needsEndpoint} false (spark-submit route) reads only the batch settings
     * (livy.session.defaults, locked keys), so no Livy URL is required.
     */
    static BatchSettings settings(CommandLine line, boolean needsEndpoint) throws BatchSubmissionException {
        // the client's retry notices are INFO; a scheduler's log wants only warnings unless asked for more
        KernelLogging.configure(System.getenv(KernelLogging.LEVEL_ENV));
        Map<String, String> env = new HashMap<>(System.getenv());
        if (line.hasOption("livy-url")) {
            env.put(KernelConfig.URL_ENV, line.getOptionValue("livy-url"));
        }
        try {
            KernelConfig config = KernelConfig.load(env);
            if (config.livyUrl().isEmpty() && !needsEndpoint) {
                env.put(KernelConfig.URL_ENV, UNUSED_ENDPOINT);
                config = KernelConfig.load(env);
            }
            if (config.livyUrl().isEmpty()) {
                throw new BatchSubmissionException("no Livy endpoint: give --livy-url URL, set LIVY_URL, or set livy.url in "
                        + config.source());
            }
            return BatchSettings.from(config);
        } catch (ConfigException e) {
            throw new BatchSubmissionException(BatchService.oneLine(e.getMessage()), e);
        }
    }

    /** The batch service over {@code settings}, printing to {@code out} and {@code err}. */
    static BatchService service(BatchSettings settings, PrintStream out, PrintStream err) {
        return new BatchService(settings, new MagicConfigureRules(), new SystemTerminal(), out, err);
    }

    /** A batch id argument; anything else is a usage error. */
    static String batchId(CommandLine line) throws BatchSubmissionException {
        if (line.getArgList().size() != 1) {
            throw new BatchSubmissionException("expects exactly one batch id (got " + line.getArgList() + ")");
        }
        String id = OpaqueIds.parse(line.getArgList().get(0));
        if (id == null) {
            throw new BatchSubmissionException("the batch id must be the id the server gave the batch, e.g. 7 on"
                    + " Apache Livy or a UUID on Lighter (got '" + line.getArgList().get(0) + "')");
        }
        return id;
    }

    /** What a command does with a batch once its id and the service are known; returns the exit code. */
    @FunctionalInterface
    interface BatchAction {
        int run(BatchService service, String id) throws BatchSubmissionException, LivyException, InterruptedException;
    }

    /**
     * Runs {@code action} on the batch the command line names. An unknown batch, a bad id or configuration
     * and a Livy failure are one line on {@code err} and the submission-error exit code.
     */
    static int onBatch(String command, CommandLine line, PrintStream out, PrintStream err, BatchAction action)
            throws InterruptedException {
        try {
            String id = batchId(line);
            return action.run(service(settings(line, true), out, err), id);
        } catch (LivySessionNotFoundException e) {
            err.println("livy-kernel " + command + ": no batch " + line.getArgList().get(0) + " on the server");
        } catch (BatchSubmissionException | LivyException e) {
            err.println("livy-kernel " + command + ": " + BatchService.oneLine(e.getMessage()));
        }
        return BatchExitCode.SUBMISSION_ERROR.code();
    }
}
