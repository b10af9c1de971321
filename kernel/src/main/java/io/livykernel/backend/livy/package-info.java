/**
 * The Livy backend's session layer: {@code LivyBackend} and its configuration ({@code LivyBackendConfig}), the
 * session as a state machine ({@code RemoteSession}, started by {@code SessionStart}, its heartbeat fed while
 * idle), statements followed to the end ({@code StatementRunner} on the session's cheap /state, paced by
 * {@code PollSchedule} on a {@code Ticker}, every wait an {@code Interruption}), the Spark jobs probe, usage,
 * the line under a slow cell ({@code SlowStatementHints}), PySpark completion, and the magics' view of sessions
 * ({@code LivySessions}). Imports {@code backend.livy.rest} (the REST client), {@code backend.livy.view} (how
 * sessions and outputs are shown), {@code api}, {@code backend}, {@code extension}, {@code config},
 * {@code messages}, {@code policy}, {@code http}, {@code analyze} (the Spark UI client) and
 * {@code analyze.heuristics} (the analysis behind the slow-cell line); never the Jupyter server.
 */
package io.livykernel.backend.livy;
