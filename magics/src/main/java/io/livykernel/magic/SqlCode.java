package io.livykernel.magic;

import java.util.Map;

/**
 * The Python that %%sql runs: the query on the driver (python/sql_query.py), and the pandas DataFrame for -o on
 * the local side (python/sql_frame.py).
 */
final class SqlCode {
    private SqlCode() {
    }

    /**
     * Driver code that runs the query, cuts it in Spark (one row more than shown, to know whether rows were
     * cut) so a big table is never collected whole, and prints the rows as JSON with Spark's schema. When
     * that JSON is longer than {@code maxBytes} it prints only its size, since Livy would cut the text.
     */
    static String remote(SqlRequest request, int maxBytes) {
        // Sampling, then the limit, as transformations: Spark computes only the rows collect() returns.
        String shape = (request.sampled() ? "    frame = frame.sample(False, " + request.fraction() + ")\n" : "")
                + (request.unlimited() ? "" : "    frame = frame.limit(" + (request.maxRows() + 1L) + ")\n");
        return PythonSnippets.fill("sql_query", Map.of(
                "QUERY", TransferCode.pyString(request.query()),
                "SHAPE", shape,
                "LIMIT", Integer.toString(request.maxRows()),
                "MAX_BYTES", Integer.toString(maxBytes),
                "PRINT", TransferCode.printAnswer("answer")));
    }

    /**
     * Local code that builds a pandas DataFrame from the driver's JSON answer, stores it as {@code variable}
     * (when not null) and draws {@code plot} of it (when not null). Each column gets the dtype its Spark type
     * implies: int64 (Int64 when there are nulls), float64, bool (boolean with nulls), datetime64 for dates
     * and timestamps, object for strings and everything else.
     */
    static String local(String answerJson, String variable, SqlPlot plot) {
        String frame = "_livy_kernel_frame(" + TransferCode.pyString(answerJson) + ")";
        StringBuilder body = new StringBuilder();
        if (variable != null) {
            body.append(variable).append(" = ").append(frame).append('\n');
            frame = variable;
        }
        if (plot != null) {
            body.append(plot.localCode(frame));
        }
        return PythonSnippets.code("sql_frame") + "try:\n" + body.toString().indent(4) + "finally:\n    del _livy_kernel_frame\n";
    }
}
