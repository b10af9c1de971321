/**
 * The cell API, the bottom layer: what a cell is ({@code Cell}), where its output goes ({@code CellOutput},
 * {@code MimeBundle}), how it ends ({@code CellResult}), completion and inspection answers, and the user-facing
 * errors with the one place that turns any failure into what the user sees ({@code ErrorReporter}). Backends,
 * magics and the Jupyter server all speak it. It imports nothing else of the project (Gson and the JDK only).
 */
package io.livykernel.api;
