# %%sql --plot on the local Python: draws the chart with a bare matplotlib Figure and prints it as base64 PNG.
# Filled in by SqlPlot.localCode: $PRINT (prints _livy_kernel_plot(frame, kind, x, y) after the marker).
def _livy_kernel_plot(frame, kind, x, y):
    import base64, io, json
    from matplotlib.figure import Figure
    data = frame[[x, y]].dropna() if x != y else frame[[x]].dropna()
    def plain(values):
        # matplotlib wants numpy numbers, not pandas' nullable Int64 or boolean
        return values.astype('float64') if str(values.dtype) in ('Int64', 'boolean') else values
    figure = Figure(figsize=(7, 4), tight_layout=True)
    axes = figure.subplots()
    if kind == 'pie':
        axes.pie(plain(data[y]), labels=data[x].astype(str))
        axes.axis('equal')
    elif kind == 'bar':
        axes.bar(data[x].astype(str), plain(data[y]))
    elif kind == 'line':
        data = data.sort_values(x)
        axes.plot(plain(data[x]), plain(data[y]), marker='o' if len(data) <= 50 else None)
    else:
        axes.scatter(plain(data[x]), plain(data[y]))
    if kind != 'pie':
        axes.set_xlabel(x)
        axes.set_ylabel(y)
        if str(data[x].dtype).startswith('datetime') or (kind == 'bar' and len(data) > 8):
            figure.autofmt_xdate()  # slanted labels, so dates and long names do not overlap
    buffer = io.BytesIO()
    figure.savefig(buffer, format='png')
    return json.dumps({'png': base64.b64encode(buffer.getvalue()).decode('ascii')})
try:
    $PRINT
finally:
    del _livy_kernel_plot
