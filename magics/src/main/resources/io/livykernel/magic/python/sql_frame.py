# %%sql -o on the local Python: _livy_kernel_frame(answer_json) is the pandas DataFrame of the driver's answer,
# each column with the dtype its Spark type implies. Used by SqlCode.local.
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
