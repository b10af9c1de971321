package io.livykernel.batch;

import java.util.List;
import java.util.Map;

/**
 * What the command line asks of a batch, already in cluster terms (files are URIs or absolute paths).
 * Null means "not given": the notebook's %%configure or the platform defaults then apply.
 *
 * @param file      the entry point (.py, or a .jar with {@code className}) as sent to the cluster
 * @param className the main class of a jar entry point; null for Python
 * @param pyFiles   extra pyFiles (the packed project), appended after any from the settings
 * @param condaEnv  the packed environment's archive URI, or null
 */
public record BatchOptions(String file, String className, List<String> pyFiles, List<String> args, Map<String, String> conf,
                           String condaEnv, String driverMemory, String executorMemory, Integer executorCores,
                           Integer numExecutors, String queue, String name, String proxyUser) {
    public BatchOptions {
        pyFiles = List.copyOf(pyFiles);
        args = List.copyOf(args);
        conf = Map.copyOf(conf);
    }
}
