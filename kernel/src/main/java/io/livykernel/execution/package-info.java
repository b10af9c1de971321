/**
 * The Jupyter server: the execute lane (cells in order, abort after an error, interrupt), the concurrent lane
 * (kernel_info, complete, inspect, is_complete, history, comm_info) and the control lane, input requests,
 * history, and the IOPub side of a cell's output. It speaks Jupyter messages ({@code messages}, {@code protocol})
 * downwards and the cell API ({@code api}) to the backend and magics it is given; it never chooses or builds a
 * backend (the CLI does).
 */
package io.livykernel.execution;
