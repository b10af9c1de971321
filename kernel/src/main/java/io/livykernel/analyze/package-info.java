/**
 * The analyser's engine: Spark's REST API read from a live UI, a History Server or captured files
 * ({@code SparkApi}), the metrics of one application (SQL executions included), findings and severities, the
 * reports (text, HTML, JSON, PNG) and the ready {@code %%configure} cell. It runs the heuristics it is given
 * ({@code analyze.heuristics.StandardHeuristics} lists them) and imports only {@code analyze.rest},
 * {@code http} and {@code messages}.
 */
package io.livykernel.analyze;
