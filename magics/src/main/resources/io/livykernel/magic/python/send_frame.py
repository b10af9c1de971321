# %%send_to_spark on the driver: _livy_kernel_frame(payload_json) is the Spark DataFrame of the sent rows.
def _livy_kernel_frame(payload):
    import datetime, json
    from pyspark.sql.types import (BooleanType, DateType, DoubleType, LongType, StringType, StructField,
                                   StructType, TimestampType)
    payload = json.loads(payload)
    types = {'long': (LongType, int), 'double': (DoubleType, float), 'boolean': (BooleanType, bool),
             'string': (StringType, str), 'timestamp': (TimestampType, datetime.datetime.fromisoformat),
             'date': (DateType, datetime.date.fromisoformat)}
    fields = payload['fields']
    schema = StructType([StructField(f['name'], types[f['type']][0](), True) for f in fields])
    converters = [types[f['type']][1] for f in fields]
    rows = [[None if v is None else convert(v) for v, convert in zip(row, converters)]
            for row in payload['rows']]
    return spark.createDataFrame(rows, schema)
