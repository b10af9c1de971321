package io.livykernel.analyze;

/**
 * Spark's monitoring REST API ({@code api/v1/...}) as the analyser reads it: from a live driver's UI (usually
 * through the YARN proxy), a History Server, or a directory of captured answers.
 */
public interface SparkApi {

    /**
     * The JSON text answered for {@code path}, relative to {@code api/v1/} (e.g. {@code applications/app-1/jobs}
     * or a path with a query such as {@code ...taskSummary?quantiles=0.5,1.0}).
     */
    String get(String path) throws SparkApiException, InterruptedException;

    /** Where the answers come from, as users may see it (no credentials). */
    String describe();
}
