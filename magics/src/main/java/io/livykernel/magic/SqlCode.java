package io.livykernel.magic;

/** The Python that %%sql runs: the query on the driver, and the pandas DataFrame for -o on the local side. */
final class SqlCode {
    /** Defines _livy_kernel_frame(answer_json) on the local side: the DataFrame of a driver answer. */
    private static final String FRAME_FUNCTION = """
            def _livy_kernel_frame(answer):
                import json
                import pandas as pd
                answer = json.loads(answer)
                fields, rows = answer['schema']['fields'], answer['rows']
                def column(values, kind):
                    values = pd.Series(values, dtype=object)
                    nulls = values.isna().any()
                    if kind in ('byte', 'short', 'integer', 'long'):
                        return values.astype('Int64' if nulls else 'int64')
                    if kind in ('float', 'double') or kind.startswith('decimal'):
                        return values.map(lambda v: float('nan') if v is None else float(v)).astype('float64')
                    if kind == 'boolean':
                        return values.astype('boolean' if nulls else 'bool')
                    if kind == 'date' or kind.startswith('timestamp'):
                        try:
                            return pd.to_datetime(values)
                        except ValueError:  # pandas 2 wants to be told that the ISO forms may differ
                            return pd.to_datetime(values, format='ISO8601')
                    return values
                columns = {}
                for at, field in enumerate(fields):
                    kind = field['type'] if isinstance(field['type'], str) else field['type']['type']
                    columns[at] = column([row[at] for row in rows], kind)
                frame = pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))
                frame.columns = [field['name'] for field in fields]
                return frame
            """;

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
        return """
                def _livy_kernel_sql():
                    import base64, datetime, decimal, json
                    def plain(value):
                        # JSON has no dates, decimals or bytes: ISO text, digits and base64 keep them exact
                        if value is None or isinstance(value, (bool, int, float, str)):
                            return value
                        if isinstance(value, datetime.datetime):
                            return value.isoformat(sep=' ')
                        if isinstance(value, datetime.date):
                            return value.isoformat()
                        if isinstance(value, decimal.Decimal):
                            return str(value)
                        if isinstance(value, (bytes, bytearray)):
                            return base64.b64encode(bytes(value)).decode('ascii')
                        if hasattr(value, 'asDict'):
                            return {key: plain(item) for key, item in value.asDict().items()}
                        if isinstance(value, dict):
                            return {str(key): plain(item) for key, item in value.items()}
                        if isinstance(value, (list, tuple)):
                            return [plain(item) for item in value]
                        return str(value)
                    frame = spark.sql($QUERY)
                $SHAPE
                    rows = [[plain(value) for value in row] for row in frame.collect()]
                    limit = $LIMIT
                    more = 0 <= limit < len(rows)
                    answer = json.dumps({'schema': frame.schema.jsonValue(), 'rows': rows[:limit] if more else rows,
                                         'more': more})
                    if len(answer) > $MAX_BYTES:
                        answer = json.dumps({'tooLarge': len(answer), 'rowCount': len(rows)})
                    $PRINT
                try:
                    _livy_kernel_sql()
                finally:
                    del _livy_kernel_sql
                """
                .replace("$QUERY", TransferCode.pyString(request.query()))
                .replace("$SHAPE\n", shape)
                .replace("$LIMIT", Integer.toString(request.maxRows()))
                .replace("$MAX_BYTES", Integer.toString(maxBytes))
                .replace("$PRINT", TransferCode.printAnswer("answer"));
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
        return FRAME_FUNCTION + "try:\n" + body.toString().indent(4) + "finally:\n    del _livy_kernel_frame\n";
    }
}
