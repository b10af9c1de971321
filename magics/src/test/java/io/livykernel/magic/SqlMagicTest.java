package io.livykernel.magic;

import static io.livykernel.magic.FakeKernel.cell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.Backend;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.messages.Json;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlMagicTest {
    /** Three rows with an int, a string, a double, a boolean, a timestamp and a date, and nulls. */
    static final String ROWS = """
            {"schema": {"type": "struct", "fields": [
               {"name": "id", "type": "long", "nullable": true, "metadata": {}},
               {"name": "name", "type": "string", "nullable": true, "metadata": {}},
               {"name": "score", "type": "double", "nullable": true, "metadata": {}},
               {"name": "ok", "type": "boolean", "nullable": true, "metadata": {}},
               {"name": "at", "type": "timestamp", "nullable": true, "metadata": {}},
               {"name": "day", "type": "date", "nullable": true, "metadata": {}}]},
             "rows": [[1, "a'b", 2.5, true, "2024-01-02 03:04:05", "2024-01-03"],
                      [null, null, NaN, null, null, null],
                      [30, "c", 10.25, false, "2024-01-02 03:04:05.120000", "2024-01-04"]],
             "more": false}""";

    @TempDir
    Path tmp;

    private final ScriptedKernel kernel = new ScriptedKernel();
    private final Shown out = new Shown();
    private final MagicDispatcher dispatcher = new MagicDispatcher(new MagicRegistry(List.of(new SqlMagic())));

    // --- the flags

    @Test
    void usageListsSparkmagicsFlagsAndThePlotOnes() {
        String usage = MagicHelp.usage(new SqlMagic());

        assertEquals("%%sql [-m take|sample] [-n MAXROWS] [-o VAR] [--plot bar|line|scatter|pie] [-q] [-r FRACTION]"
                + " [--x COL] [--y COL]\n<cell body>", usage);
        String help = MagicHelp.text(new SqlMagic());
        assertTrue(help.contains("--samplemethod") && help.contains("--maxrows") && help.contains("--output"), help);
        assertTrue(help.contains("cut in Spark (default 2500"), help);
    }

    @Test
    void theStandardRegistryHasBothDataMagics() {
        assertTrue(MagicRegistry.standard().find("sql").isPresent());
        assertTrue(MagicRegistry.standard().find("send_to_spark").isPresent());
    }

    @Test
    void badFlagsAreUsageErrorsAndRunNothing() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("%%sql -m first\nSELECT 1", "-m must be take or sample, not 'first'"),
                Map.entry("%%sql -m sample -r 0\nSELECT 1", "-r must be a fraction in (0, 1]"),
                Map.entry("%%sql -m sample -r 1.5\nSELECT 1", "-r must be a fraction in (0, 1]"),
                Map.entry("%%sql -m sample -r half\nSELECT 1", "-r needs a number, not 'half'"),
                Map.entry("%%sql -r 0.5\nSELECT 1", "-r sets the fraction of -m sample"),
                Map.entry("%%sql -n many\nSELECT 1", "-n needs a whole number of rows, not 'many'"),
                Map.entry("%%sql -o 1st\nSELECT 1", "-o needs a Python variable name"),
                Map.entry("%%sql -o class\nSELECT 1", "'class' is not one"),
                Map.entry("%%sql --x a\nSELECT 1", "--x and --y choose the columns of --plot"),
                Map.entry("%%sql --plot pie3\nSELECT 1", "--plot must be one of bar, line, scatter, pie"),
                Map.entry("%%sql -q --plot bar\nSELECT 1", "-q shows nothing, so it cannot go with --plot"),
                Map.entry("%%sql SELECT *\nFROM t", "unexpected 'SELECT *': the query goes in the cell body"),
                Map.entry("%%sql --nope\nSELECT 1", "--nope"),
                Map.entry("%%sql -o\nSELECT 1", "Missing argument for option: o"),
                Map.entry("%%sql\n  \n", "needs code in the cell below"));
        expected.forEach((code, message) -> {
            CellResult.Error error = error(code);
            assertEquals("UsageError", error.ename(), code);
            assertTrue(error.evalue().contains(message), code + " -> " + error.evalue());
            assertTrue(error.evalue().contains("usage: %%sql"), code + " -> " + error.evalue());
        });
        kernel.assertNothingRan();
    }

    @Test
    void withoutLivyItSaysWhatItNeedsAndPointsToLocal() {
        kernel.livy = false;

        CellResult.Error error = error("%%sql\nSELECT 1");

        assertEquals("NeedsLivy", error.ename());
        assertTrue(error.evalue().contains("no Livy endpoint is configured"), error.evalue());
        assertTrue(error.evalue().contains("%%local"), error.evalue());
        kernel.assertNothingRan();
    }

    // --- the code sent to the driver

    @Test
    void theQueryTravelsAsBase64WhateverItContains() {
        String query = "SELECT ''' AS a, \"\"\" AS b, '\\\\' AS c, 'é ☃' AS d\n-- end\n\tFROM t";
        kernel.remoteAnswers.add(answer(ROWS));

        run("%%sql\n" + query);

        String code = kernel.onlyRemoteCode();
        assertFalse(code.contains("'''") || code.contains("\"\"\"") || code.contains("☃"), code);
        List<String> literals = base64Literals(code);
        assertEquals(List.of(query), literals);
        assertTrue(code.contains("frame = spark.sql(__import__('base64').b64decode('"), code);
    }

    @Test
    void rowsAreCutInSparkWithOneRowMoreThanShown() {
        kernel.remoteAnswers.add(answer(ROWS));
        run("%%sql\nSELECT * FROM big");
        assertTrue(kernel.onlyRemoteCode().contains("    frame = frame.limit(2501)\n"));
        assertTrue(kernel.onlyRemoteCode().contains("limit = 2500\n"));

        kernel.remoteCode.clear();
        kernel.remoteAnswers.add(answer(ROWS));
        run("%%sql -n 10\nSELECT * FROM big");
        assertTrue(kernel.onlyRemoteCode().contains("    frame = frame.limit(11)\n"));
        assertFalse(kernel.onlyRemoteCode().contains(".collect()\n    frame"), "nothing may be collected before the limit");
    }

    @Test
    void samplingHappensBeforeTheLimit() {
        kernel.remoteAnswers.add(answer(ROWS));

        run("%%sql -m sample -r 0.25 -n 100\nSELECT * FROM big");

        String code = kernel.onlyRemoteCode();
        assertTrue(code.contains("    frame = frame.sample(False, 0.25)\n    frame = frame.limit(101)\n"), code);
    }

    @Test
    void aNegativeLimitFetchesEverythingButWarns() {
        kernel.remoteAnswers.add(answer(ROWS));

        run("%%sql -n -1\nSELECT * FROM big");

        assertFalse(kernel.onlyRemoteCode().contains(".limit("));
        assertTrue(out.stderr.toString().contains("fetches every row"), out.stderr.toString());
    }

    @Test
    void theDriverIsToldTheOutputLimit() throws Exception {
        kernel.config = config("{\"livy\": {\"output\": {\"maxBytes\": 50000}}}");
        kernel.remoteAnswers.add(answer(ROWS));

        run("%%sql\nSELECT 1");

        assertTrue(kernel.onlyRemoteCode().contains("if len(answer) > 48976:"), kernel.onlyRemoteCode());
    }

    @Test
    void defaultsComeFromTheConfigurationAndFlagsWin() throws Exception {
        kernel.config = config("{\"magics\": {\"sql\": {\"maxRows\": 100, \"sampleMethod\": \"sample\","
                + " \"sampleFraction\": 0.5}}}");
        kernel.remoteAnswers.add(answer(ROWS));
        run("%%sql\nSELECT 1");
        assertTrue(kernel.onlyRemoteCode().contains("frame.sample(False, 0.5)\n    frame = frame.limit(101)"));

        kernel.remoteCode.clear();
        kernel.remoteAnswers.add(answer(ROWS));
        run("%%sql -m take -n 5\nSELECT 1");
        assertFalse(kernel.onlyRemoteCode().contains("sample("));
        assertTrue(kernel.onlyRemoteCode().contains("frame.limit(6)"));
    }

    @Test
    void aBrokenDefaultInTheConfigurationIsNamed() {
        // checked with the whole file when the kernel loads it (every cell then shows this error)
        ConfigException error = assertThrows(ConfigException.class,
                () -> config("{\"magics\": {\"sql\": {\"maxRows\": \"lots\"}}}"));

        assertTrue(error.getMessage().contains("magics.sql.maxRows must be a whole number"), error.getMessage());
    }

    // --- what the cell shows

    @Test
    void theResultIsAnHtmlTableATextTableAndADataResource() {
        kernel.remoteAnswers.add(answer(ROWS));

        assertInstanceOf(CellResult.Ok.class, run("%%sql\nSELECT * FROM t"));

        assertEquals(1, out.displays.size());
        MimeBundle shown = out.displays.get(0);
        String html = shown.data().get("text/html").getAsString();
        assertTrue(html.startsWith("<table class=\"dataframe\">"), html);
        assertTrue(html.contains("<th>name</th>") && html.contains("<td>a&#39;b</td>") && html.contains("<i>null</i>"),
                html);
        assertEquals("""
                  id  name  score  ok     at                          day
                   1  a'b     2.5  true   2024-01-02 03:04:05         2024-01-03
                null  null    NaN  null   null                        null
                  30  c     10.25  false  2024-01-02 03:04:05.120000  2024-01-04

                3 rows""", shown.plainText());
        JsonObject resource = shown.data().get("application/vnd.dataresource+json").getAsJsonObject();
        assertEquals(Json.parseObject("""
                {"fields": [{"name": "index", "type": "integer"}, {"name": "id", "type": "integer"},
                            {"name": "name", "type": "string"}, {"name": "score", "type": "number"},
                            {"name": "ok", "type": "boolean"}, {"name": "at", "type": "datetime"},
                            {"name": "day", "type": "datetime"}],
                 "primaryKey": ["index"], "pandas_version": "1.4.0"}"""), resource.get("schema"));
        JsonArray data = resource.getAsJsonArray("data");
        assertEquals(Json.parseObject("""
                {"index": 0, "id": 1, "name": "a'b", "score": 2.5, "ok": true, "at": "2024-01-02T03:04:05",
                 "day": "2024-01-03T00:00:00.000"}"""), data.get(0));
        assertTrue(data.get(1).getAsJsonObject().get("score").isJsonNull(), "NaN is null in JSON, as pandas writes it");
        assertTrue(kernel.localCells.isEmpty(), "without -o or --plot nothing runs locally");
    }

    @Test
    void cutRowsAreAnnounced() {
        kernel.remoteAnswers.add(answer(ROWS.replace("\"more\": false", "\"more\": true")));

        run("%%sql -n 3\nSELECT * FROM t");

        String text = out.displays.get(0).plainText();
        assertTrue(text.endsWith("showing 3 rows; the result has more (-n sets the limit, -n -1 fetches all)"), text);
    }

    @Test
    void bigNumbersGetThousandsSeparatorsAndSamplesSaySo() {
        SqlRequest request = new SqlRequest("q", "sample", 0.125, 2500, null, false, null);
        JsonObject many = new JsonObject();
        many.add("schema", Json.parseObject("{\"fields\": []}"));
        JsonArray rows = new JsonArray();
        for (int i = 0; i < 2500; i++) {
            rows.add(new JsonArray());
        }
        many.add("rows", rows);
        many.addProperty("more", true);

        assertEquals("showing 2,500 rows of a 12.5% sample; the sample has more (-n sets the limit, -n -1 fetches all)",
                SqlMagic.note(request, SqlResult.parse(many)));
    }

    @Test
    void quietShowsNothing() {
        kernel.remoteAnswers.add(answer(ROWS));

        assertInstanceOf(CellResult.Ok.class, run("%%sql -q\nSELECT * FROM t"));

        assertTrue(out.displays.isEmpty());
        assertEquals("", out.stdout.toString());
        assertEquals("", out.stderr.toString());
    }

    @Test
    void outputOnTheDriverBeforeTheAnswerIsIgnored() {
        kernel.remoteAnswers.add("leftover from a failed statement\n" + answer(ROWS));

        assertInstanceOf(CellResult.Ok.class, run("%%sql\nSELECT * FROM t"));
        assertEquals(1, out.displays.size());
    }

    @Test
    void aSparkErrorIsTheCellsError() {
        kernel.remoteAnswers.add(new UserFacingException("AnalysisException",
                "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found."));

        CellResult.Error error = error("%%sql\nSELECT * FROM nope");

        assertEquals("AnalysisException", error.ename());
        assertTrue(error.evalue().startsWith("[TABLE_OR_VIEW_NOT_FOUND]"));
        assertTrue(out.displays.isEmpty());
    }

    @Test
    void aResultTooBigForLivysOutputIsExplained() {
        kernel.remoteAnswers.add(TransferCode.MARKER + "{\"tooLarge\": 5000000, \"rowCount\": 2500}");

        CellResult.Error error = error("%%sql\nSELECT * FROM wide");

        assertEquals("ResultTooLarge", error.ename());
        assertTrue(error.evalue().contains("2,500 rows fetched are 5,000,000 bytes"), error.evalue());
        assertTrue(error.evalue().contains("livy.output.maxBytes"), error.evalue());
    }

    @Test
    void anAnswerCutShortIsATransferErrorNotAStackTrace() {
        kernel.remoteAnswers.add(TransferCode.MARKER + "{\"schema\": {\"fields\": [");

        assertEquals("TransferError", error("%%sql\nSELECT 1").ename());
    }

    // --- -o and --plot on the local side

    @Test
    void outputBuildsTheDataFrameLocallyInASilentCell() {
        kernel.remoteAnswers.add(answer(ROWS));
        kernel.localAnswers.add("");

        assertInstanceOf(CellResult.Ok.class, run("%%sql -o result\nSELECT * FROM t"));

        Cell local = kernel.onlyLocalCell();
        assertTrue(local.silent() && !local.storeHistory(), "the helper cell must not show or be remembered");
        String code = local.code();
        assertTrue(code.contains("\n    result = _livy_kernel_frame(__import__('base64').b64decode('"), code);
        assertTrue(code.endsWith("finally:\n    del _livy_kernel_frame\n"), code);
        assertEquals(Json.parseObject(answerJson(ROWS)), Json.parseObject(base64Literals(code).get(0)));
        for (String cast : List.of("astype('Int64' if nulls else 'int64')", "astype('float64')",
                "astype('boolean' if nulls else 'bool')", "pd.to_datetime(values)")) {
            assertTrue(code.contains(cast), cast);
        }
        assertFalse(Pattern.compile("\\b(spark|sc)\\b").matcher(code).find(),
                "the local kernel would start a local Spark for code that names it");
        assertTrue(out.displays.get(0).plainText().endsWith("3 rows; stored in the local Python as result"
                + " (a pandas DataFrame, for %%local)"));
    }

    @Test
    void quietOutputStoresWithoutShowing() {
        kernel.remoteAnswers.add(answer(ROWS));
        kernel.localAnswers.add("");

        run("%%sql -q -o result\nSELECT * FROM t");

        assertEquals(1, kernel.localCells.size());
        assertTrue(out.displays.isEmpty());
    }

    @Test
    void aLocalFailureIsTheCellsErrorWithAHintForMissingModules() {
        kernel.remoteAnswers.add(answer(ROWS));
        kernel.localAnswers.add(CellResult.error("ModuleNotFoundError", "No module named 'pandas'", List.of()));

        CellResult.Error error = error("%%sql -o result\nSELECT * FROM t");

        assertEquals("ModuleNotFoundError", error.ename());
        assertTrue(error.evalue().contains("install it in the local Python"), error.evalue());
        assertTrue(out.displays.isEmpty());
    }

    @Test
    void plotDrawsLocallyAndShowsPngAndVegaLite() {
        kernel.remoteAnswers.add(answer(ROWS));
        kernel.localAnswers.add("warming up\n" + TransferCode.MARKER + "{\"png\": \"iVBORw0KGgo=\"}\n");

        assertInstanceOf(CellResult.Ok.class, run("%%sql --plot bar --x name --y score\nSELECT * FROM t"));

        String code = kernel.onlyLocalCell().code();
        assertTrue(code.contains("from matplotlib.figure import Figure"), code);
        assertTrue(code.contains("_livy_kernel_plot(_livy_kernel_frame("), code);
        assertEquals(List.of("bar", "name", "score"), base64Literals(code).subList(1, 4));
        assertEquals(2, out.displays.size());
        MimeBundle chart = out.displays.get(1);
        assertEquals("iVBORw0KGgo=", chart.data().get("image/png").getAsString());
        JsonObject spec = chart.data().get("application/vnd.vegalite.v4+json").getAsJsonObject();
        assertEquals("bar", spec.get("mark").getAsString());
        assertEquals(Json.parseObject("{\"field\": \"name\", \"type\": \"nominal\"}"),
                spec.getAsJsonObject("encoding").get("x"));
        assertEquals(2, spec.getAsJsonObject("data").getAsJsonArray("values").size(), "rows with nulls are left out");
    }

    @Test
    void plotWithOutputDrawsTheStoredDataFrame() {
        kernel.remoteAnswers.add(answer(ROWS));
        kernel.localAnswers.add(TransferCode.MARKER + "{\"png\": \"AAAA\"}");

        run("%%sql -o result --plot line\nSELECT * FROM t");

        String code = kernel.onlyLocalCell().code();
        assertTrue(code.contains("    result = _livy_kernel_frame("), code);
        assertTrue(code.contains("_livy_kernel_plot(result, "), code);
        assertEquals(List.of("line", "id", "score"), base64Literals(code).subList(1, 4),
                "x defaults to the first column, y to the first other numeric one");
    }

    @Test
    void plotColumnsAreCheckedBeforeAnythingRunsLocally() {
        for (String flags : List.of("--plot bar --x nope", "--plot pie --y nope", "--plot scatter --y name")) {
            kernel.remoteAnswers.add(answer(ROWS));
            CellResult.Error error = error("%%sql -o result " + flags + "\nSELECT * FROM t");
            assertEquals("UsageError", error.ename(), flags);
            assertTrue(error.evalue().contains("id, name, score, ok, at, day")
                    || error.evalue().contains("Numeric columns: id, score"), error.evalue());
        }
        assertTrue(kernel.localCells.isEmpty());
    }

    @Test
    void pieChartsUseArcsInVegaLite() {
        SqlResult result = SqlResult.parse(answerObject(ROWS));
        SqlPlot pie = new SqlPlot("pie", "name", "score");

        JsonObject spec = pie.vegaLite(result);

        assertEquals("arc", spec.get("mark").getAsString());
        assertEquals("score", spec.getAsJsonObject("encoding").getAsJsonObject("theta").get("field").getAsString());
        assertNull(spec.getAsJsonObject("encoding").get("x"));
    }

    @Test
    void dottedColumnNamesAreEscapedForVegaLite() {
        SqlResult result = SqlResult.parse(answerObject(ROWS.replace("\"name\": \"id\"", "\"name\": \"a.b\"")));

        JsonObject spec = new SqlPlot("scatter", "a.b", "score").vegaLite(result);

        assertEquals("a\\.b", spec.getAsJsonObject("encoding").getAsJsonObject("x").get("field").getAsString());
        assertEquals("quantitative", spec.getAsJsonObject("encoding").getAsJsonObject("x").get("type").getAsString());
    }

    @Test
    void duplicateColumnNamesStillShowButHaveNoDataResource() {
        SqlResult result = SqlResult.parse(answerObject(ROWS.replace("\"name\": \"name\"", "\"name\": \"id\"")));

        assertNull(result.dataResource());
        assertNotNull(result.bundle("3 rows").data().get("text/html"));
    }

    @Test
    void decimalsKeepTheirDigitsAndInfinityIsNullInJson() {
        SqlResult.Column amount = new SqlResult.Column("amount", "decimal(38,18)");

        assertEquals("12345678901234567.123456789012345678",
                SqlResult.resourceValue(amount, Json.parseObject("{\"v\": \"12345678901234567.123456789012345678\"}")
                        .get("v")).getAsBigDecimal().toPlainString());
        assertTrue(SqlResult.resourceValue(amount, Json.parseObject("{\"v\": -Infinity}").get("v")).isJsonNull());
    }

    // --- helpers

    private CellResult run(String code) {
        try {
            return dispatcher.execute(cell(code), out, kernel);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private CellResult.Error error(String code) {
        return assertInstanceOf(CellResult.Error.class, run(code), code);
    }

    private KernelConfig config(String json) throws IOException, ConfigException {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, json);
        return KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, file.toString()));
    }

    /** What the driver prints for these rows. */
    static String answer(String json) {
        return TransferCode.MARKER + answerJson(json) + "\n";
    }

    private static String answerJson(String json) {
        return json.replace("\n", " ");
    }

    private static JsonObject answerObject(String json) {
        return Json.parseObject(json);
    }

    /** The decoded values of every base64 literal in generated code, in order. */
    static List<String> base64Literals(String code) {
        List<String> values = new ArrayList<>();
        Matcher m = Pattern.compile("b64decode\\('([A-Za-z0-9+/=]*)'\\)").matcher(code);
        while (m.find()) {
            values.add(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** What a cell showed, with stdout and stderr apart. */
    static final class Shown implements CellOutput {
        final StringBuilder stdout = new StringBuilder();
        final StringBuilder stderr = new StringBuilder();
        final List<MimeBundle> displays = new ArrayList<>();

        @Override
        public void stream(Stream stream, String text) {
            (stream == Stream.STDOUT ? stdout : stderr).append(text);
        }

        @Override
        public void display(MimeBundle data, JsonObject metadata, String displayId) {
            displays.add(data);
        }

        @Override
        public void updateDisplay(MimeBundle data, JsonObject metadata, String displayId) {
            throw new AssertionError("data magics update no display");
        }

        @Override
        public void result(MimeBundle data, JsonObject metadata) {
            throw new AssertionError("data magics show displays, not results");
        }

        @Override
        public void clearOutput(boolean wait) {
        }

        @Override
        public String input(String prompt, boolean password) {
            throw new AssertionError("data magics ask for no input");
        }
    }

    /**
     * A kernel on Livy whose remote session and local Python answer from scripts: each statement or local
     * cell takes the next answer (printed text, or an exception / error to end with) and is recorded.
     */
    static final class ScriptedKernel implements KernelContext {
        final List<String> remoteCode = new ArrayList<>();
        final Deque<Object> remoteAnswers = new ArrayDeque<>();
        final List<Cell> localCells = new ArrayList<>();
        final Deque<Object> localAnswers = new ArrayDeque<>();
        boolean livy = true;
        KernelConfig config = KernelConfig.defaults();
        private final Backend local = new ScriptedLocal();
        private final RemoteSessions sessions = scriptedRemote();

        @Override
        public Backend primaryBackend() {
            throw new AssertionError("data magics never run cells on the primary backend directly");
        }

        @Override
        public Backend localBackend() {
            return local;
        }

        @Override
        public KernelConfig config() {
            return config;
        }

        @Override
        public Optional<RemoteSessions> remote() {
            return livy ? Optional.of(sessions) : Optional.empty();
        }

        String onlyRemoteCode() {
            assertEquals(1, remoteCode.size(), "statements: " + remoteCode);
            return remoteCode.get(0);
        }

        Cell onlyLocalCell() {
            assertEquals(1, localCells.size(), "local cells: " + localCells);
            return localCells.get(0);
        }

        void assertNothingRan() {
            assertTrue(remoteCode.isEmpty(), "remote statements ran: " + remoteCode);
            assertTrue(localCells.isEmpty(), "local cells ran: " + localCells);
        }

        private final class ScriptedLocal implements Backend {
            @Override
            public String description() {
                return "scripted local Python";
            }

            @Override
            public CellResult execute(Cell cell, CellOutput out) {
                localCells.add(cell);
                Object next = localAnswers.isEmpty() ? "" : localAnswers.poll();
                if (next instanceof CellResult.Error error) {
                    return error;
                }
                out.print((String) next);
                return CellResult.ok();
            }

            @Override
            public void interrupt() {
            }

            @Override
            public void close() {
            }
        }

        /**
         * Only evaluateQuietly and the output limit (livy.output.maxBytes of the test's configuration), the
         * calls the data magics make, are scripted; a proxy keeps the fake independent of the rest.
         */
        private RemoteSessions scriptedRemote() {
            return (RemoteSessions) Proxy.newProxyInstance(RemoteSessions.class.getClassLoader(),
                    new Class<?>[] {RemoteSessions.class}, (proxy, method, args) -> {
                        if (method.getName().equals("maxOutputBytes")) {
                            return Json.integer(Json.object(config.section("livy"), "output"), "maxBytes", 2 << 20);
                        }
                        if (!method.getName().equals("evaluateQuietly")) {
                            throw new AssertionError("data magics do not call RemoteSessions." + method.getName());
                        }
                        remoteCode.add((String) args[0]);
                        Object next = remoteAnswers.isEmpty() ? "" : remoteAnswers.poll();
                        if (next instanceof UserFacingException e) {
                            throw e;
                        }
                        return next;
                    });
        }
    }
}
