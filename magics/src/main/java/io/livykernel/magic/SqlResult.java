package io.livykernel.magic;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.messages.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rows a %%sql query fetched, with Spark's schema, as the driver printed them ({"schema": Spark's
 * schema JSON, "rows": [[...]], "more": whether rows were cut}), and their views: an HTML table, an aligned
 * text table and a Frictionless data resource like pandas' {@code to_json(orient='table')}.
 */
record SqlResult(List<Column> columns, List<JsonArray> rows, boolean more) {
    /** Longest cell in the text table; the HTML table and the data keep the whole value. */
    private static final int TEXT_CELL_WIDTH = 60;

    SqlResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** One column: its name and Spark type name ("long", "decimal(10,2)", "timestamp", "array", ...). */
    record Column(String name, String type) {
        boolean isInteger() {
            return Set.of("byte", "short", "integer", "long").contains(type);
        }

        boolean isNumeric() {
            return isInteger() || type.equals("float") || type.equals("double") || type.startsWith("decimal");
        }

        boolean isTemporal() {
            return type.equals("date") || type.startsWith("timestamp");
        }

        /** The Frictionless (Table Schema) type pandas would give the column after -o. */
        String tableSchemaType() {
            if (isInteger()) {
                return "integer";
            }
            if (isNumeric()) {
                return "number";
            }
            if (type.equals("boolean")) {
                return "boolean";
            }
            return isTemporal() ? "datetime" : "string";
        }
    }

    static SqlResult parse(JsonObject answer) {
        List<Column> columns = new ArrayList<>();
        for (JsonElement field : Json.object(answer, "schema").getAsJsonArray("fields")) {
            JsonObject f = field.getAsJsonObject();
            JsonElement type = f.get("type");
            String typeName = type.isJsonPrimitive() ? type.getAsString() : Json.string(type.getAsJsonObject(), "type", "");
            columns.add(new Column(Json.string(f, "name", ""), typeName));
        }
        List<JsonArray> rows = new ArrayList<>();
        answer.getAsJsonArray("rows").forEach(r -> rows.add(r.getAsJsonArray()));
        return new SqlResult(columns, rows, Json.bool(answer, "more", false));
    }

    /** The answer the driver prints instead of rows when they would not fit in Livy's output. */
    static void checkSize(JsonObject answer, int maxBytes) throws UserFacingException {
        if (answer.has("tooLarge")) {
            throw new UserFacingException("ResultTooLarge", String.format(Locale.ROOT,
                    "The %,d rows fetched are %,d bytes as JSON, more than the %,d bytes a statement's output may"
                            + " have (livy.output.maxBytes). Fetch fewer rows with -n, select fewer columns, or"
                            + " write the result to storage from a PySpark cell (df.write...).",
                    Json.integer(answer, "rowCount", 0), answer.get("tooLarge").getAsLong(), maxBytes));
        }
    }

    Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    String columnNames() {
        return String.join(", ", columns.stream().map(Column::name).toList());
    }

    /** The cell's display: HTML table, text table and data resource, each ending with {@code note}. */
    MimeBundle bundle(String note) {
        MimeBundle.Builder bundle = MimeBundle.builder().text(text() + "\n\n" + note)
                .html(html() + "<p>" + Html.escape(note) + "</p>");
        JsonObject resource = dataResource();
        if (resource != null) {
            bundle.put("application/vnd.dataresource+json", resource);
        }
        return bundle.build();
    }

    String html() {
        StringBuilder html = new StringBuilder("<table class=\"dataframe\"><thead><tr style=\"text-align: right;\">");
        columns.forEach(c -> html.append("<th>").append(Html.escape(c.name())).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (JsonArray row : rows) {
            html.append("<tr>");
            for (int i = 0; i < columns.size(); i++) {
                JsonElement v = i < row.size() ? row.get(i) : JsonNull.INSTANCE;
                html.append(v.isJsonNull() ? "<td><i>null</i></td>" : "<td>" + Html.escape(cell(v)) + "</td>");
            }
            html.append("</tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    /** Columns padded to their widest cell; numbers to the right, as pandas and Spark's show() do. */
    String text() {
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns.stream().map(Column::name).toList());
        for (JsonArray row : rows) {
            List<String> line = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                String v = i < row.size() ? cell(row.get(i)) : "null";
                line.add(v.length() > TEXT_CELL_WIDTH ? v.substring(0, TEXT_CELL_WIDTH - 3) + "..." : v);
            }
            cells.add(line);
        }
        int[] widths = new int[columns.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> line : cells) {
            StringBuilder padded = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String pad = " ".repeat(widths[i] - line.get(i).length());
                padded.append(i == 0 ? "" : "  ")
                        .append(columns.get(i).isNumeric() ? pad + line.get(i) : line.get(i) + pad);
            }
            text.append(padded.toString().stripTrailing()).append('\n');
        }
        return text.toString().stripTrailing();
    }

    /**
     * pandas' {@code to_json(orient='table')} of the rows as -o would deliver them: an "index" field as
     * primary key, Table Schema types, NaN and infinities as null, datetimes in ISO form. Null when the
     * columns cannot be keys of one record (two columns with one name).
     */
    JsonObject dataResource() {
        Set<String> names = new HashSet<>();
        columns.forEach(c -> names.add(c.name()));
        if (names.size() != columns.size()) {
            return null;
        }
        String index = names.contains("index") ? "level_0" : "index";
        if (names.contains(index)) {
            return null;
        }
        JsonArray fields = new JsonArray();
        fields.add(field(index, "integer"));
        columns.forEach(c -> fields.add(field(c.name(), c.tableSchemaType())));
        JsonObject schema = new JsonObject();
        schema.add("fields", fields);
        JsonArray primaryKey = new JsonArray();
        primaryKey.add(index);
        schema.add("primaryKey", primaryKey);
        schema.addProperty("pandas_version", "1.4.0");
        JsonArray data = new JsonArray();
        for (int r = 0; r < rows.size(); r++) {
            JsonObject record = new JsonObject();
            record.addProperty(index, r);
            for (int i = 0; i < columns.size(); i++) {
                JsonElement v = i < rows.get(r).size() ? rows.get(r).get(i) : JsonNull.INSTANCE;
                record.add(columns.get(i).name(), resourceValue(columns.get(i), v));
            }
            data.add(record);
        }
        JsonObject resource = new JsonObject();
        resource.add("schema", schema);
        resource.add("data", data);
        return resource;
    }

    /** A value for JSON consumers (data resource, Vega-Lite): real numbers, ISO datetimes, null for NaN. */
    static JsonElement resourceValue(Column column, JsonElement v) {
        if (v.isJsonNull()) {
            return v;
        }
        if (column.isNumeric()) {
            try {
                // decimals travel as strings to keep their digits; NaN and infinities have no JSON number
                return new JsonPrimitive(new BigDecimal(v.getAsString()));
            } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException e) {
                return JsonNull.INSTANCE;
            }
        }
        if (column.isTemporal() && v.isJsonPrimitive()) {
            String iso = v.getAsString().replace(' ', 'T');
            return new JsonPrimitive(iso.contains("T") ? iso : iso + "T00:00:00.000");
        }
        return v.deepCopy();
    }

    /** How one value reads in the tables: strings as they are, null as null, nested values as JSON. */
    static String cell(JsonElement v) {
        if (v == null || v.isJsonNull()) {
            return "null";
        }
        return v.isJsonPrimitive() ? v.getAsString() : v.toString();
    }

    private static JsonObject field(String name, String type) {
        JsonObject field = new JsonObject();
        field.addProperty("name", name);
        field.addProperty("type", type);
        return field;
    }
}
