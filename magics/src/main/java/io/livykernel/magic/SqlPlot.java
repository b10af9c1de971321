package io.livykernel.magic;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;

/**
 * The chart of %%sql --plot: drawn by matplotlib on the local Python from the fetched rows (image/png,
 * which every frontend and nbconvert show), with the same chart as a Vega-Lite spec for JupyterLab.
 *
 * @param x the x column (pie: labels); null until {@link #resolve} picks a default
 * @param y the numeric y column (pie: sizes); null until {@link #resolve} picks a default
 */
record SqlPlot(String kind, String x, String y) {
    static final List<String> KINDS = List.of("bar", "line", "scatter", "pie");

    /** The --plot flags, or null when there is no --plot. */
    static SqlPlot from(MagicCommand command, CommandLine flags) throws UserFacingException {
        if (!flags.hasOption("plot")) {
            if (flags.hasOption("x") || flags.hasOption("y")) {
                throw TransferCode.usageError(command, "--x and --y choose the columns of --plot; add --plot "
                        + String.join("|", KINDS));
            }
            return null;
        }
        String kind = flags.getOptionValue("plot").toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw TransferCode.usageError(command, "--plot must be one of " + String.join(", ", KINDS) + ", not '"
                    + flags.getOptionValue("plot") + "'");
        }
        return new SqlPlot(kind, flags.getOptionValue("x"), flags.getOptionValue("y"));
    }

    /** The chart with both columns checked against the result: x defaults to the first column, y to a number. */
    SqlPlot resolve(SqlResult result) throws UserFacingException {
        if (result.columns().isEmpty()) {
            throw new UserFacingException("UsageError", "The query returned no columns, so there is nothing to plot.");
        }
        String chosenX = x != null ? x : result.columns().get(0).name();
        if (result.column(chosenX) == null) {
            throw new UserFacingException("UsageError", "--x '" + chosenX + "' is not a column of the result. Its"
                    + " columns: " + result.columnNames() + ".");
        }
        String numeric = String.join(", ", result.columns().stream().filter(SqlResult.Column::isNumeric)
                .map(SqlResult.Column::name).toList());
        String chosenY = y;
        if (chosenY == null) {
            chosenY = result.columns().stream().filter(SqlResult.Column::isNumeric).map(SqlResult.Column::name)
                    .filter(name -> !name.equals(chosenX)).findFirst().orElse(null);
            if (chosenY == null) {
                throw new UserFacingException("UsageError", "--plot needs a numeric column for --y, and the result"
                        + " has " + (numeric.isEmpty() ? "none" : "only " + numeric) + ". Its columns: "
                        + result.columnNames() + ".");
            }
        }
        SqlResult.Column yColumn = result.column(chosenY);
        if (yColumn == null) {
            throw new UserFacingException("UsageError", "--y '" + chosenY + "' is not a column of the result. Its"
                    + " columns: " + result.columnNames() + ".");
        }
        if (!yColumn.isNumeric()) {
            throw new UserFacingException("UsageError", "--y '" + chosenY + "' is a " + yColumn.type() + " column;"
                    + " --y needs a number. Numeric columns: " + (numeric.isEmpty() ? "none" : numeric) + ".");
        }
        return new SqlPlot(kind, chosenX, chosenY);
    }

    /**
     * Python for the local side (python/sql_plot.py) that draws the chart of {@code frameExpression} (a pandas DataFrame from
     * {@link SqlCode#localFrame}) and prints it as base64 PNG. It uses a bare matplotlib Figure, so the
     * user's own pyplot state and backend are left alone.
     */
    String localCode(String frameExpression) {
        return PythonSnippets.fill("sql_plot", Map.of("PRINT", TransferCode.printAnswer("_livy_kernel_plot("
                + frameExpression + ", " + TransferCode.pyString(kind) + ", " + TransferCode.pyString(x) + ", "
                + TransferCode.pyString(y) + ")")));
    }

    /** The display: the PNG drawn locally and the same chart for Vega-Lite renderers. */
    MimeBundle bundle(String pngBase64, SqlResult result) {
        return MimeBundle.builder()
                .put("image/png", pngBase64)
                .put("application/vnd.vegalite.v4+json", vegaLite(result))
                .text("<" + kind + " chart of " + y + " by " + x + ", " + result.rows().size() + " rows>")
                .build();
    }

    JsonObject vegaLite(SqlResult result) {
        SqlResult.Column xColumn = result.column(x);
        SqlResult.Column yColumn = result.column(y);
        int xAt = result.columns().indexOf(xColumn);
        int yAt = result.columns().indexOf(yColumn);
        JsonArray values = new JsonArray();
        for (JsonArray row : result.rows()) {
            JsonElement xValue = SqlResult.resourceValue(xColumn, row.get(xAt));
            JsonElement yValue = SqlResult.resourceValue(yColumn, row.get(yAt));
            if (!xValue.isJsonNull() && !yValue.isJsonNull()) {
                JsonObject point = new JsonObject();
                point.add(x, xValue);
                point.add(y, yValue);
                values.add(point);
            }
        }
        JsonObject spec = new JsonObject();
        spec.addProperty("$schema", "https://vega.github.io/schema/vega-lite/v4.json");
        JsonObject data = new JsonObject();
        data.add("values", values);
        spec.add("data", data);
        JsonObject encoding = new JsonObject();
        String xType = xColumn.isTemporal() ? "temporal"
                : xColumn.isNumeric() && !kind.equals("bar") ? "quantitative" : "nominal";
        switch (kind) {
            case "pie" -> {
                spec.addProperty("mark", "arc");
                encoding.add("theta", channel(y, "quantitative"));
                encoding.add("color", channel(x, "nominal"));
            }
            case "scatter" -> spec.addProperty("mark", "point");
            default -> spec.addProperty("mark", kind);
        }
        if (!kind.equals("pie")) {
            encoding.add("x", channel(x, xType));
            encoding.add("y", channel(y, "quantitative"));
        }
        spec.add("encoding", encoding);
        return spec;
    }

    /** A Vega-Lite channel; dots and brackets in the field name are escaped, or Vega reads them as paths. */
    private static JsonObject channel(String field, String type) {
        JsonObject channel = new JsonObject();
        channel.addProperty("field", field.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[")
                .replace("]", "\\]"));
        channel.addProperty("type", type);
        return channel;
    }
}
