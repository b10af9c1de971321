# %%sql on the driver: runs the query, cuts it in Spark and prints the rows as JSON with Spark's schema.
# Filled in by SqlCode.remote: $QUERY (a Python string expression), $SHAPE (the sampling and limit lines, each ending in a newline, or
# nothing),
# $LIMIT (rows shown), $MAX_BYTES (largest answer), $PRINT (prints the answer after the marker).
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
$SHAPE    rows = [[plain(value) for value in row] for row in frame.collect()]
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
