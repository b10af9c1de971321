package io.livykernel.backend.livy.view;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.MimeBundle;
import io.livykernel.backend.livy.rest.StatementOutput;
import io.livykernel.messages.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shows a finished statement's output in the notebook. Livy's Python REPL returns printed text and the
 * last expression's value together as text/plain, so that goes out as stdout text. Rich values (image/png
 * from %matplot, text/html, application/json from %json or SQL, Livy's table type from %table) become one
 * display_data, with an HTML table and a plain-text fallback where needed. Text beyond the configured
 * size is cut with a notice, so a huge result cannot exhaust the kernel or the browser.
 */
public final class LivyOutputs {
    static final String LIVY_TABLE = "application/vnd.livy.table.v1+json";

    private LivyOutputs() {
    }

    public static void show(StatementOutput output, CellOutput out, int maxBytes) {
        if (output == null) {
            return;
        }
        Map<String, JsonElement> data = output.data();
        String text = data.containsKey("text/plain") && data.get("text/plain").isJsonPrimitive()
                ? data.get("text/plain").getAsString() : "";
        boolean rich = data.keySet().stream().anyMatch(m -> !m.equals("text/plain"));
        if (!rich) {
            if (!text.isEmpty()) {
                out.print(capped(text, maxBytes) + "\n");
            }
            return;
        }
        MimeBundle.Builder bundle = MimeBundle.builder();
        String fallback = text;
        for (Map.Entry<String, JsonElement> e : data.entrySet()) {
            switch (e.getKey()) {
                case "text/plain" -> {
                    // added last, as the fallback
                }
                case LIVY_TABLE -> {
                    Table table = Table.fromLivy(e.getValue().getAsJsonObject());
                    bundle.html(table.html());
                    fallback = fallback.isEmpty() ? table.text() : fallback;
                }
                case "application/json" -> {
                    JsonElement value = e.getValue();
                    Table table = Table.fromSql(value);
                    if (table != null) {
                        bundle.html(table.html());
                        fallback = fallback.isEmpty() ? table.text() : fallback;
                    }
                    bundle.put("application/json", value);
                    fallback = fallback.isEmpty() ? Json.gson().newBuilder().setPrettyPrinting().create().toJson(value)
                            : fallback;
                }
                default -> bundle.put(e.getKey(), e.getValue());
            }
        }
        bundle.text(fallback.isEmpty() ? "<" + String.join(", ", data.keySet()) + ">" : capped(fallback, maxBytes));
        out.display(bundle.build());
    }

    /** A Python-style error for the cell: Livy's traceback lines, then "Name: value" as Python prints it. */
    public static CellResult.Error error(StatementOutput output) {
        List<String> traceback = new ArrayList<>();
        for (String line : output.traceback()) {
            traceback.add(line.endsWith("\n") ? line.substring(0, line.length() - 1) : line);
        }
        String ename = output.ename() == null ? "Error" : output.ename();
        String evalue = output.evalue() == null ? "" : output.evalue();
        String last = "\u001b[0;31m" + ename + "\u001b[0m: " + evalue;
        if (traceback.isEmpty() || !traceback.get(traceback.size() - 1).startsWith(ename)) {
            traceback.add(last);
        } else {
            traceback.set(traceback.size() - 1, last);
        }
        return CellResult.error(ename, evalue, traceback);
    }

    static String capped(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        String kept = new String(bytes, 0, maxBytes, StandardCharsets.UTF_8);
        return kept + "\n... [output truncated: " + bytes.length + " bytes, over the " + maxBytes
                + "-byte limit (livy.output.maxBytes). Write large results to storage or use df.show(n).]";
    }

    /** A table from Livy's %table type or from a SQL statement's {schema, data}, shown as HTML and text. */
    record Table(List<String> columns, List<List<JsonElement>> rows) {
        static Table fromLivy(JsonObject table) {
            List<String> columns = new ArrayList<>();
            table.getAsJsonArray("headers").forEach(h -> columns.add(Json.string(h.getAsJsonObject(), "name", "")));
            return new Table(columns, rows(table.getAsJsonArray("data")));
        }

        /** Null unless the value has the {schema: {fields}, data} shape of Livy's SQL interpreter. */
        static Table fromSql(JsonElement value) {
            if (!value.isJsonObject() || !value.getAsJsonObject().has("schema") || !value.getAsJsonObject().has("data")) {
                return null;
            }
            JsonObject schema = Json.object(value.getAsJsonObject(), "schema");
            JsonElement fields = schema.get("fields");
            JsonElement data = value.getAsJsonObject().get("data");
            if (fields == null || !fields.isJsonArray() || !data.isJsonArray()) {
                return null;
            }
            List<String> columns = new ArrayList<>();
            fields.getAsJsonArray().forEach(f -> columns.add(Json.string(f.getAsJsonObject(), "name", "")));
            return new Table(columns, rows(data.getAsJsonArray()));
        }

        private static List<List<JsonElement>> rows(JsonArray data) {
            List<List<JsonElement>> rows = new ArrayList<>();
            data.forEach(r -> {
                List<JsonElement> row = new ArrayList<>();
                r.getAsJsonArray().forEach(row::add);
                rows.add(row);
            });
            return rows;
        }

        String html() {
            StringBuilder html = new StringBuilder("<table><thead><tr>");
            columns.forEach(c -> html.append("<th>").append(SessionViews.escape(c)).append("</th>"));
            html.append("</tr></thead><tbody>");
            for (List<JsonElement> row : rows) {
                html.append("<tr>");
                row.forEach(v -> html.append("<td>").append(SessionViews.escape(cell(v))).append("</td>"));
                html.append("</tr>");
            }
            return html.append("</tbody></table>").toString();
        }

        String text() {
            int[] widths = new int[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                widths[i] = columns.get(i).length();
                for (List<JsonElement> row : rows) {
                    widths[i] = Math.max(widths[i], i < row.size() ? cell(row.get(i)).length() : 0);
                }
            }
            StringBuilder text = new StringBuilder();
            appendRow(text, columns.stream().map(JsonPrimitive::new).map(JsonElement.class::cast).toList(), widths);
            for (List<JsonElement> row : rows) {
                appendRow(text, row, widths);
            }
            return text.toString().stripTrailing();
        }

        private static void appendRow(StringBuilder text, List<JsonElement> row, int[] widths) {
            for (int i = 0; i < widths.length; i++) {
                String v = i < row.size() ? cell(row.get(i)) : "";
                text.append(v).append(" ".repeat(widths[i] - v.length() + 2));
            }
            text.append('\n');
        }

        private static String cell(JsonElement v) {
            if (v == null || v.isJsonNull()) {
                return "null";
            }
            return v.isJsonPrimitive() ? v.getAsString() : v.toString();
        }
    }
}
