/**
 * Batch jobs: a PySpark entry file, a packed project, a jar or a notebook run as a batch job and followed to
 * the end with exit codes a scheduler can rely on ({@link io.livykernel.batch.BatchExitCode}).
 * {@link io.livykernel.batch.BatchService} is what the kernelspec module's thin {@code submit}, {@code status},
 * {@code logs} and {@code kill} commands call: it builds one request from the options, the configuration and
 * the notebook or project ({@link io.livykernel.batch.BatchRequestFactory}, packing, notebook conversion) and
 * hands it to a {@link io.livykernel.batch.BatchRoute}: {@link io.livykernel.batch.LivyBatchRoute} (WebHDFS
 * staging, POST /batches exactly once, following, kill or detach on Ctrl-C) or
 * {@link io.livykernel.batch.SparkSubmitBatchRoute} (a spark-submit command line, launched by the kernelspec
 * module's {@link io.livykernel.batch.SparkSubmitLauncher}, which needs Spark's launcher library). The user's
 * terminal and the %%configure rules of the magics come in through {@link io.livykernel.batch.BatchTerminal}
 * and {@link io.livykernel.batch.ConfigureRules}.
 *
 * <p>It may import {@code backend.livy} (the REST client and its records), {@code config}, {@code http} and
 * {@code messages}; it must not import {@code execution}, {@code magic} or {@code cli}, which sit above it.
 */
package io.livykernel.batch;
