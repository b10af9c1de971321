package io.livykernel.magic;

import com.google.gson.JsonObject;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.messages.Json;
import java.math.BigDecimal;
import java.util.Locale;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code %%sql}: Spark SQL in the notebook's Livy session, shown as a table (HTML, text and a data resource),
 * optionally stored as a pandas DataFrame on the local Python (-o) and charted there (--plot). Flags and
 * defaults are sparkmagic's. Rows are limited in Spark, never after collecting the whole result.
 */
final class SqlMagic implements MagicCommand {
    /** Room left in Livy's output for the answer's marker and stray text before it. */
    private static final int OUTPUT_SLACK_BYTES = 1024;

    @Override
    public String name() {
        return "sql";
    }

    @Override
    public Form form() {
        return Form.CELL;
    }

    @Override
    public String summary() {
        return "Run Spark SQL in the remote session and show the rows as a table; -o also gives them to the local"
                + " Python as a pandas DataFrame, --plot charts them.";
    }

    @Override
    public String example() {
        return "%%sql -o top_regions -n 100\nSELECT region, SUM(revenue) AS revenue FROM orders GROUP BY region";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder("o").longOpt("output").hasArg().argName("VAR")
                        .desc("also store the rows in the local Python as a pandas DataFrame named VAR (for %%local)")
                        .build())
                .addOption(Option.builder("q").longOpt("quiet")
                        .desc("show nothing (with -o: only store the rows)").build())
                .addOption(Option.builder("m").longOpt("samplemethod").hasArg().argName("take|sample")
                        .desc("take: the first rows (default); sample: a random sample of the fraction -r").build())
                .addOption(Option.builder("n").longOpt("maxrows").hasArg().argName("MAXROWS")
                        .desc("most rows to fetch, cut in Spark (default " + SqlRequest.DEFAULT_MAX_ROWS
                                + ", or magics.sql.maxRows in the configuration); negative: all rows").build())
                .addOption(Option.builder("r").longOpt("samplefraction").hasArg().argName("FRACTION")
                        .desc("fraction of rows -m sample keeps, in (0, 1] (default " + SqlRequest.DEFAULT_FRACTION
                                + ")").build())
                .addOption(Option.builder().longOpt("plot").hasArg().argName("bar|line|scatter|pie")
                        .desc("also chart the rows, drawn with matplotlib on the local Python").build())
                .addOption(Option.builder().longOpt("x").hasArg().argName("COL")
                        .desc("the chart's x column (pie: labels); default the first column").build())
                .addOption(Option.builder().longOpt("y").hasArg().argName("COL")
                        .desc("the chart's numeric y column (pie: sizes); default the first numeric one").build());
    }

    @Override
    public Body body() {
        return Body.REQUIRED;
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        RemoteSessions remote = Remote.require(context, "%%sql", "On the local Python, %%local can query data"
                + " with pandas.");
        SqlRequest request = SqlRequest.from(this, call.flags(), call.body(), context);
        if (request.unlimited()) {
            out.stream(CellOutput.Stream.STDERR, "Warning: -n " + request.maxRows() + " fetches every row of the"
                    + " result; on a big table that is slow and can exhaust the driver's memory.\n");
        }
        int maxBytes = remote.maxOutputBytes();
        String printed = remote.evaluateQuietly(SqlCode.remote(request, Math.max(1, maxBytes - OUTPUT_SLACK_BYTES)),
                out);
        JsonObject answer = TransferCode.answer(printed, "The query's code on the driver");
        SqlResult.checkSize(answer, maxBytes);
        SqlResult result = SqlResult.parse(answer);
        // Columns are checked before -o assigns anything, so a wrong --x leaves the local side unchanged.
        SqlPlot plot = request.plot() == null ? null : request.plot().resolve(result);
        String png = null;
        if (request.output() != null || plot != null) {
            String local = TransferCode.runLocally(context, call.cell(),
                    SqlCode.local(Json.toJson(answer), request.output(), plot), out);
            if (plot != null) {
                png = Json.string(TransferCode.answer(local, "The local chart code"), "png", "");
            }
        }
        if (!request.quiet()) {
            out.display(result.bundle(note(request, result)));
            if (plot != null) {
                out.display(plot.bundle(png, result));
            }
        }
        return CellResult.ok();
    }

    /** The line under the table: how many rows, whether the result has more, where -o put them. */
    static String note(SqlRequest request, SqlResult result) {
        int shown = result.rows().size();
        String rows = String.format(Locale.US, "%,d row%s", shown, shown == 1 ? "" : "s");
        String sample = request.sampled() ? " of a " + percent(request.fraction()) + " sample" : "";
        String note = result.more()
                ? "showing " + rows + sample + "; the " + (request.sampled() ? "sample" : "result")
                + " has more (-n sets the limit, -n -1 fetches all)"
                : rows + sample;
        return request.output() == null ? note
                : note + "; stored in the local Python as " + request.output() + " (a pandas DataFrame, for %%local)";
    }

    private static String percent(double fraction) {
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }
}
