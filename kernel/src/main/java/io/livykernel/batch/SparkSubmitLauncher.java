package io.livykernel.batch;

import java.time.Duration;

/**
 * Launches spark-submit and follows the application (the kernelspec module's launcher, which needs Spark's
 * launcher library); returns the {@link BatchExitCode} code. {@code timeout} null means no limit.
 */
@FunctionalInterface
public interface SparkSubmitLauncher {
    int run(SparkSubmitCommandLine command, boolean noWait, Duration timeout)
            throws BatchSubmissionException, InterruptedException;
}
