# %%send_to_spark on the local Python: _livy_kernel_read(name, kind, max_rows, max_bytes) reads the variable and
# returns {'data': base64 ...} (a string, or a DataFrame's fields and rows with Spark types) or {'error': ...}.
def _livy_kernel_read(name, kind, max_rows, max_bytes):
    import base64, datetime, json, numbers
    missing = object()
    value = globals().get(name, missing)
    if value is missing:
        return {'error': 'missing'}
    if value is None:
        return {'error': 'none'}
    type_name = type(value).__name__
    def packed(text, **facts):
        data = base64.b64encode(text.encode('utf-8', 'surrogatepass')).decode('ascii')
        if len(data) > max_bytes:
            return {'error': 'size', 'size': len(data)}
        return dict(facts, data=data)
    if kind == 'str':
        return packed(value) if isinstance(value, str) else {'error': 'type', 'type': type_name}
    try:
        import pandas as pd
    except ImportError:
        return {'error': 'type', 'type': type_name}
    if not isinstance(value, pd.DataFrame):
        return {'error': 'type', 'type': type_name}
    names = [str(label) for label in value.columns]
    if not names or len(set(names)) < len(names):
        return {'error': 'columns', 'columns': names}
    frame = value if max_rows < 0 else value.head(max_rows)
    def as_naive_utc(moment):
        if moment.tzinfo is not None:
            moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return moment.isoformat(sep=' ')
    def column(series):
        dtype_kind = getattr(series.dtype, 'kind', 'O')
        present = [v for v, here in zip(series.tolist(), series.notna().tolist()) if here]
        def each(convert):
            return [convert(v) if here else None for v, here in zip(series.tolist(), series.notna().tolist())]
        if dtype_kind == 'M':
            return 'timestamp', each(lambda v: as_naive_utc(v.to_pydatetime()))
        if dtype_kind in 'iu':
            return 'long', each(int)
        if dtype_kind == 'f':
            return 'double', each(float)
        if dtype_kind == 'b':
            return 'boolean', each(bool)
        if dtype_kind == 'O' and present:
            # objects (str, category, mixed): by what the values are
            if all(isinstance(v, bool) for v in present):
                return 'boolean', each(bool)
            if all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in present):
                return 'long', each(int)
            if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in present):
                return 'double', each(float)
            if all(isinstance(v, datetime.datetime) for v in present):
                return 'timestamp', each(as_naive_utc)
            if all(isinstance(v, datetime.date) for v in present):
                return 'date', each(lambda v: v.isoformat())
        return 'string', each(lambda v: v if isinstance(v, str) else
                              json.dumps(v) if isinstance(v, (list, dict)) else str(v))
    fields, columns = [], []
    for at, label in enumerate(names):
        kind, values = column(frame.iloc[:, at])
        fields.append({'name': label, 'type': kind})
        columns.append(values)
    rows = [list(row) for row in zip(*columns)]
    return packed(json.dumps({'fields': fields, 'rows': rows}), rows=len(frame), total=len(value),
                  columns=len(names))
