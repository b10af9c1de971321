/**
 * The Livy backend: the REST client and its records (one per resource), the session as a state machine
 * ({@code RemoteSession}, started by {@code SessionStart}), statements followed to the end ({@code StatementRunner}
 * on the session's cheap /state), and how sessions and outputs are shown. Imports {@code api}, {@code backend},
 * {@code extension}, {@code config}, {@code messages}, {@code http} (every request goes through its stack) and
 * {@code analyze} and {@code analyze.heuristics} (the Spark UI client, and the analysis behind the line under a
 * slow cell, {@code SlowStatementHints}); never the Jupyter server.
 */
package io.livykernel.backend.livy;
