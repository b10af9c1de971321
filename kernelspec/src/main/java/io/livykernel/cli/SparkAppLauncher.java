package io.livykernel.cli;

import io.livykernel.batch.BatchExitCode;
import io.livykernel.batch.BatchService;
import io.livykernel.batch.BatchSettings;
import io.livykernel.batch.BatchSubmissionException;
import io.livykernel.batch.BatchTerminal;
import io.livykernel.batch.SparkSubmitCommandLine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.apache.spark.launcher.SparkAppHandle;
import org.apache.spark.launcher.SparkLauncher;

/**
 * {@code submit --via spark-submit}'s launcher (the {@link io.livykernel.batch.SparkSubmitLauncher} of the
 * batch service's spark-submit route): runs the command line through Spark's launcher library against a
 * local SPARK_HOME. spark-submit ships local files itself. The application's output lines are streamed as they
 * come, its state changes and id come back over the launcher protocol, and the final state maps to the
 * same exit codes as the Livy route.
 */
final class SparkAppLauncher {
    /**
     * Spark's launcher writes the child's merged stdout/stderr to java.util.logging loggers under
     * org.apache.spark.launcher.app; its own notices (e.g. a repeated final state) are internal and kept out
     * of the output. Held here because java.util.logging keeps loggers, and so their settings, only weakly.
     */
    private static final Logger CHILD_OUTPUT = Logger.getLogger("org.apache.spark.launcher.app");
    private static final Logger LAUNCHER = Logger.getLogger("org.apache.spark.launcher");
    /** How long a stop request may take before the child process is ended outright. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /**
     * A terminal's Ctrl-C reaches the whole foreground process group, spark-submit included, which then ends
     * within this time; in cluster mode that ends the follower, not the application, which this command
     * (having no YARN client of its own) can then no longer kill, so it must not offer to.
     */
    private static final Duration CTRL_C_SETTLE = Duration.ofSeconds(2);
    /** After the final state, output still in the pipe is printed until it has been quiet this long. */
    private static final long DRAIN_QUIET_MILLIS = 300;

    private final SparkSubmitCommandLine command;
    private final Path sparkHome;
    private final PrintStream out;
    private final PrintStream err;
    private final BatchTerminal terminal;
    /** Where the ended application's usage is read (yarn.resourceManagerUrl and the HTTP stack). */
    private final BatchSettings settings;
    private final Object changed = new Object();
    private volatile boolean stopRequested;
    private volatile long lastOutputNanos = System.nanoTime();
    /** spark-submit's process, as far as it could be found among this process's children. */
    private List<ProcessHandle> launched = List.of();

    SparkAppLauncher(SparkSubmitCommandLine command, Path sparkHome, PrintStream out, PrintStream err,
                     BatchTerminal terminal, BatchSettings settings) {
        this.command = command;
        this.settings = settings;
        this.sparkHome = sparkHome;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** SPARK_HOME from --spark-home, else the environment; it must hold bin/spark-submit. */
    static Path sparkHome(String given) throws BatchSubmissionException {
        String value = given != null ? given : System.getenv("SPARK_HOME");
        if (value == null || value.isBlank()) {
            throw new BatchSubmissionException("--via spark-submit needs Spark: give --spark-home DIR or set SPARK_HOME");
        }
        Path home = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isDirectory(home)) {
            throw new BatchSubmissionException("SPARK_HOME " + home + " is not a directory; give --spark-home DIR of a"
                    + " Spark installation");
        }
        Path submit = home.resolve("bin/spark-submit");
        if (!Files.isRegularFile(submit) || !Files.isExecutable(submit)) {
            throw new BatchSubmissionException("SPARK_HOME " + home + " has no executable bin/spark-submit; is it a"
                    + " Spark installation?");
        }
        return home;
    }

    /** Cluster mode runs the driver on the cluster; anything else runs it on this machine, in the child. */
    static boolean driverOnCluster(SparkSubmitCommandLine command) {
        return "cluster".equals(command.value("--deploy-mode"));
    }

    /**
     * Launches and follows the application. With {@code noWait} (cluster mode only), returns once the
     * cluster has accepted it; {@code timeout} null means no limit.
     */
    int run(boolean noWait, Duration timeout) throws BatchSubmissionException, InterruptedException {
        Set<Long> before = childPids();
        SparkAppHandle handle = launch();
        // The driver can report FINISHED and still exit non-zero (the launcher then says FAILED): the
        // outcome is known only once spark-submit itself has exited.
        launched = ProcessHandle.current().children().filter(p -> !before.contains(p.pid())).toList();
        terminal.onInterrupt(this::requestStop);
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (!handle.getState().isFinal() || childAlive()) {
            if (noWait && handle.getAppId() != null) {
                return submittedWithoutWaiting(handle);
            }
            if (stopRequested) {
                return onCtrlC(handle);
            }
            if (System.nanoTime() >= deadline) {
                err.println("application " + describe(handle) + ": timeout after " + timeout.toSeconds()
                        + " s; killing it");
                if (!stop(handle) && driverOnCluster(command)) {
                    err.println("could not confirm the application stopped on the cluster" + yarnHint(handle.getAppId()));
                }
                drainOutput();
                return BatchExitCode.TIMEOUT.code();
            }
            synchronized (changed) {
                changed.wait(Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000)));
            }
        }
        if (stopRequested && handle.getState() != SparkAppHandle.State.FINISHED) {
            return onCtrlC(handle);   // a terminal's Ctrl-C reaches spark-submit too, which may end first
        }
        drainOutput();
        // spark-submit without waiting for completion ends right after YARN accepted the application
        SparkAppHandle.State end = handle.getState();
        if (noWait && handle.getAppId() != null && end != SparkAppHandle.State.KILLED
                && end != SparkAppHandle.State.FAILED) {
            return submittedWithoutWaiting(handle);
        }
        BatchExitCode exit = exitCode(handle.getState());
        err.println("application " + describe(handle) + " ended: exit code " + exit.code() + " ("
                + exit.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
        reportUsage(handle.getAppId());
        return exit.code();
    }

    /** What the ended application used, or why that cannot be told (local mode, no ResourceManager address). */
    private void reportUsage(String appId) throws InterruptedException {
        if (appId == null) {
            return;   // it never started: nothing was used
        }
        try {
            err.println(settings.usage(appId, null).line());
        } catch (BatchSubmissionException e) {
            err.println("Resources used: not available (" + BatchService.oneLine(e.getMessage()) + ")");
        }
    }

    private int submittedWithoutWaiting(SparkAppHandle handle) {
        String id = handle.getAppId();
        err.println("application " + id + " submitted; not following it (--no-wait)" + yarnHint(id));
        out.println(id);
        stopFollowing(handle);
        return BatchExitCode.SUCCESS.code();
    }

    /** FINISHED is success; the launcher reports a non-zero exit of spark-submit as FAILED. */
    static BatchExitCode exitCode(SparkAppHandle.State state) {
        return switch (state) {
            case FINISHED -> BatchExitCode.SUCCESS;
            case KILLED -> BatchExitCode.KILLED;
            case FAILED, LOST -> BatchExitCode.FAILED;
            default -> BatchExitCode.NOT_FINISHED;
        };
    }

    private SparkAppHandle launch() throws BatchSubmissionException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SPARK_HOME", sparkHome.toString());
        SparkLauncher launcher = new SparkLauncher(env).setSparkHome(sparkHome.toString())
                .setAppResource(command.resource());
        for (SparkSubmitCommandLine.Option option : command.options()) {
            launcher.addSparkArg(option.name(), option.value());
        }
        launcher.addAppArgs(command.appArgs().toArray(String[]::new));
        printChildOutput();
        try {
            return launcher.startApplication(new SparkAppHandle.Listener() {
                private SparkAppHandle.State reported;
                private String reportedId;

                @Override
                public void stateChanged(SparkAppHandle h) {
                    if (h.getState() != reported) {
                        reported = h.getState();
                        err.println("application state: " + reported);
                    }
                    infoChanged(h);
                }

                @Override
                public void infoChanged(SparkAppHandle h) {
                    if (h.getAppId() != null && !h.getAppId().equals(reportedId)) {
                        reportedId = h.getAppId();
                        err.println("application id: " + reportedId);
                    }
                    wakeUp();
                }
            });
        } catch (IOException | RuntimeException e) {
            throw new BatchSubmissionException("cannot start " + sparkHome.resolve("bin/spark-submit") + ": "
                    + BatchService.oneLine(e.getMessage()), e);
        }
    }

    /** The child's output lines, printed as they come instead of going through java.util.logging. */
    private void printChildOutput() {
        LAUNCHER.setLevel(Level.SEVERE);
        CHILD_OUTPUT.setUseParentHandlers(false);
        CHILD_OUTPUT.setLevel(Level.INFO);
        CHILD_OUTPUT.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lastOutputNanos = System.nanoTime();
                out.println(record.getMessage());
                out.flush();
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                // out belongs to the command
            }
        });
    }

    /**
     * Ctrl-C. With the driver on the cluster the user may kill it or detach (no terminal: detach); in client
     * or local mode the driver is a child of this process, so there is nothing to detach from: it is stopped.
     */
    private int onCtrlC(SparkAppHandle handle) throws InterruptedException {
        String app = describe(handle);
        if (!driverOnCluster(command)) {
            err.println("interrupted: the driver runs on this machine (deploy mode client), so it is stopped");
            stop(handle);
            drainOutput();
            return BatchExitCode.KILLED.code();
        }
        awaitChildEnd(CTRL_C_SETTLE);
        if (!childAlive() || handle.getState().isFinal()) {
            err.println("interrupted: spark-submit has ended, so application " + app + " is no longer followed; it may"
                    + " still run on the cluster" + yarnHint(handle.getAppId()));
            return BatchExitCode.NOT_FINISHED.code();
        }
        if (handle.getAppId() == null) {
            err.println("interrupted before the cluster accepted the application: nothing to detach from, so the"
                    + " submission is stopped");
            stop(handle);
            drainOutput();
            return BatchExitCode.KILLED.code();
        }
        String answer = terminal.ask("application " + app + " is still running. Kill it (k) or detach (d)? [d] ");
        if (answer == null) {
            err.println("interrupted with no terminal to ask whether to kill: detaching");
        } else if (BatchTerminal.saysKill(answer)) {
            if (stop(handle)) {
                err.println("application " + app + " killed");
                return BatchExitCode.KILLED.code();
            }
            err.println("could not confirm application " + app + " stopped on the cluster"
                    + yarnHint(handle.getAppId()));
            return BatchExitCode.NOT_FINISHED.code();
        }
        stopFollowing(handle);
        String id = handle.getAppId();
        err.println("detached from application " + app + "; it keeps running on the cluster" + yarnHint(id));
        out.println(id);
        return BatchExitCode.NOT_FINISHED.code();
    }

    /**
     * Asks the application to stop (in cluster mode this kills it on the cluster), then ends the child.
     * Before the application has connected back nothing has reached a cluster, so ending the child is enough.
     * Returns whether the application is known to have stopped.
     */
    private boolean stop(SparkAppHandle handle) throws InterruptedException {
        if (handle.getState() == SparkAppHandle.State.UNKNOWN) {
            handle.kill();
            return true;
        }
        try {
            handle.stop();
        } catch (IllegalStateException e) {
            handle.kill();   // the connection is gone: only the child process can be ended
            return false;
        }
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        while (!handle.getState().isFinal() && System.nanoTime() < deadline) {
            synchronized (changed) {
                changed.wait(200);
            }
        }
        // On the cluster only KILLED confirms it: spark-submit reports it once YARN has killed the application;
        // FAILED or LOST may only mean spark-submit itself ended, with the application still running there.
        boolean stopped = driverOnCluster(command) ? handle.getState() == SparkAppHandle.State.KILLED
                : handle.getState().isFinal();
        handle.kill();
        return stopped;
    }

    /**
     * Ends the local spark-submit once the cluster has the application. In cluster mode spark-submit only
     * follows it (launched through Spark's launcher it follows even with waitAppCompletion=false), and left
     * running it would outlive this command. Ending it sends the application no stop: it keeps running.
     */
    private static void stopFollowing(SparkAppHandle handle) {
        handle.kill();
    }

    /** Waits a moment for spark-submit to end, if it is ending. */
    private void awaitChildEnd(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (childAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private boolean childAlive() {
        return launched.stream().anyMatch(ProcessHandle::isAlive);
    }

    /** What the user can do next with a YARN application this command no longer follows. */
    private static String yarnHint(String appId) {
        return appId == null ? "" : ". Follow it with: yarn logs -applicationId " + appId + " (kill: yarn application"
                + " -kill " + appId + ")";
    }

    /** Waits until the child's output has been quiet a moment (at most a few seconds), so no line is lost. */
    private void drainOutput() throws InterruptedException {
        long start = System.nanoTime();
        long until = start + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until && System.nanoTime() - Math.max(start, lastOutputNanos)
                < TimeUnit.MILLISECONDS.toNanos(DRAIN_QUIET_MILLIS)) {
            Thread.sleep(50);
        }
        out.flush();
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** What Ctrl-C does: the follow loop stops following at its next turn. */
    void requestStop() {
        stopRequested = true;
        wakeUp();
    }

    private void wakeUp() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    private static String describe(SparkAppHandle handle) {
        return handle.getAppId() != null ? handle.getAppId() : "(no id yet)";
    }
}
