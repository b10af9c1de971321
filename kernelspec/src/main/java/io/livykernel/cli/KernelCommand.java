package io.livykernel.cli;

import io.livykernel.Version;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.execution.KernelInfo;
import io.livykernel.execution.KernelServer;
import io.livykernel.execution.ParentWatch;
import io.livykernel.extension.MagicSupport;
import io.livykernel.logging.KernelLogging;
import io.livykernel.protocol.ConnectionInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code kernel -f CONNECTION_FILE}: runs the kernel until shutdown_request or SIGTERM, or until the Jupyter server
 * that started it is gone; exits 0 only when it was asked to stop.
 */
final class KernelCommand implements Command {
    private static final Logger LOG = Logger.getLogger(KernelCommand.class.getName());
    /** How often the kernel checks that the Jupyter server that started it is still there (ipykernel: 1 s). */
    private static final Duration PARENT_POLL = Duration.ofSeconds(1);

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public String summary() {
        return "run the kernel for a Jupyter connection file (what kernel.json starts)";
    }

    @Override
    public String usage() {
        return "-f CONNECTION_FILE";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder("f").longOpt("connection-file").hasArg().argName("FILE")
                .required().desc("the connection file written by the Jupyter server").build());
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        KernelLogging.configure(System.getenv(KernelLogging.LEVEL_ENV));
        Path connectionFile = Path.of(line.getOptionValue("f"));
        ConnectionInfo connection = ConnectionInfo.read(connectionFile);
        KernelBackends backends;
        try {
            backends = KernelBackends.fromConfig(KernelConfig.load(System.getenv()), kernelId(connectionFile),
                    System.getenv("JUPYTERHUB_USER"));
        } catch (ConfigException e) {
            LOG.severe(e.getMessage());
            backends = KernelBackends.misconfigured(e);
        }
        MagicSupport magics = ServiceLoader.load(MagicSupport.class).findFirst().orElse(null);
        KernelServer server = new KernelServer(connection, backends, magics, new KernelInfo(Version.current()));
        Thread.setDefaultUncaughtExceptionHandler(server.uncaughtExceptionHandler());
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "sigterm-shutdown"));
        SignalInterrupts.install(server);
        server.start();
        server.exitWhenParentGone(ParentWatch.fromEnvironment(System.getenv()), PARENT_POLL);
        return server.awaitStop().exitCode();
    }

    /** Jupyter names connection files kernel-ID.json; the first part of the id is enough to tell kernels apart. */
    static String kernelId(Path connectionFile) {
        String name = connectionFile.getFileName().toString().replaceFirst("\\.json$", "").replaceFirst("^kernel-", "");
        return name.length() > 8 ? name.substring(0, 8) : name;
    }
}
