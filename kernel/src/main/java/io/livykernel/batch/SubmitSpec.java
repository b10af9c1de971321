package io.livykernel.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@code submit} was asked for, as the user gave it: local paths not yet checked or packed. Exactly one
 * of {@code entry} (a .py, or a .jar with {@code className}) and {@code notebook} is set. Null means "not
 * given", as in {@link BatchOptions}.
 *
 * @param project    project directory packed into a zip for pyFiles, or null
 * @param stagingDir where generated files are written; null: a new temporary directory
 * @param timeout    kill the job when it has not ended after this long; null: no limit
 */
public record SubmitSpec(String entry, Path notebook, String className, List<String> args, Map<String, String> conf,
                         Path project, String stagingDir, String condaEnv, String driverMemory, String executorMemory,
                         Integer executorCores, Integer numExecutors, String queue, String name, String proxyUser,
                         Duration timeout, boolean noWait, boolean dryRun) {
    public SubmitSpec {
        args = List.copyOf(args);
        conf = Map.copyOf(conf);
    }
}
