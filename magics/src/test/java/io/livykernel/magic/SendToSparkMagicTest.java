package io.livykernel.magic;

import static io.livykernel.magic.FakeKernel.cell;
import static io.livykernel.magic.SqlMagicTest.base64Literals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.api.Cell;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.config.KernelConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendToSparkMagicTest {
    private static final String TRICKY = "quotes ' \" ''' \"\"\", backslashes \\ \\n \\\\, a newline\nand unicode é ☃ 🎉";

    @TempDir
    Path tmp;

    private final SqlMagicTest.ScriptedKernel kernel = new SqlMagicTest.ScriptedKernel();
    private final SqlMagicTest.Shown out = new SqlMagicTest.Shown();
    private final MagicDispatcher dispatcher = new MagicDispatcher(new MagicRegistry(List.of(new SendToSparkMagic())));

    @Test
    void usageHasSparkmagicsFlagsWithInputRequired() {
        assertEquals("%%send_to_spark -i VAR [-m MAXROWS] [-n NAME] [-t str|df]", MagicHelp.usage(new SendToSparkMagic()));
        String help = MagicHelp.text(new SendToSparkMagic());
        assertTrue(help.contains("--vartype") && help.contains("--varname") && help.contains("--maxrows"), help);
        assertTrue(help.contains("refused, not split"), help);
    }

    @Test
    void badFlagsAreUsageErrorsAndRunNothing() {
        Map<String, String> expected = Map.of(
                "%%send_to_spark", "Missing required option: i",
                "%%send_to_spark -n y", "Missing required option: i",
                "%%send_to_spark -i x -t list", "-t must be str (a string) or df (a pandas DataFrame), not 'list'",
                "%%send_to_spark -i x -n 'my var'", "-n needs a Python variable name",
                "%%send_to_spark -i x.y", "-i needs a Python variable name",
                "%%send_to_spark -i x -n spark", "'spark' is the remote session's own",
                "%%send_to_spark -i x -m all", "-m needs a whole number of rows, not 'all'",
                "%%send_to_spark -i x extra", "unexpected 'extra'",
                "%%send_to_spark -i x\nprint(x)", "takes no cell body");
        expected.forEach((code, message) -> {
            CellResult.Error error = error(code);
            assertEquals("UsageError", error.ename(), code);
            assertTrue(error.evalue().contains(message), code + " -> " + error.evalue());
            assertTrue(error.evalue().contains("usage: %%send_to_spark -i VAR"), code + " -> " + error.evalue());
        });
        kernel.assertNothingRan();
    }

    @Test
    void withoutLivyItSaysWhatItNeeds() {
        kernel.livy = false;

        CellResult.Error error = error("%%send_to_spark -i x");

        assertEquals("NeedsLivy", error.ename());
        assertTrue(error.evalue().contains("no Livy endpoint is configured"), error.evalue());
        kernel.assertNothingRan();
    }

    @Test
    void theLocalValueIsReadBySilentCodeThatNamesItSafely() {
        kernel.localAnswers.add(TransferCode.MARKER + "{\"data\": \"\"}");

        run("%%send_to_spark -i text");

        Cell read = kernel.onlyLocalCell();
        assertTrue(read.silent() && !read.storeHistory());
        assertEquals(List.of("text", "str"), base64Literals(read.code()));
        assertTrue(read.code().contains(", 2500, 10485760))"), read.code());
        assertTrue(read.code().endsWith("finally:\n    del _livy_kernel_read\n"), read.code());
        assertFalse(Pattern.compile("\\b(spark|sc)\\b").matcher(read.code()).find(),
                "the local kernel would start a local Spark for code that names it");
    }

    @Test
    void aStringArrivesExactlyWhateverItHolds() {
        kernel.localAnswers.add(TransferCode.MARKER + "{\"data\": \"" + base64(TRICKY) + "\"}\n");

        assertInstanceOf(CellResult.Ok.class, run("%%send_to_spark -i text -n remote_text"));

        String code = kernel.onlyRemoteCode();
        assertEquals("remote_text = __import__('base64').b64decode('" + base64(TRICKY)
                + "').decode('utf-8', 'surrogatepass')\n", code);
        assertEquals(List.of(TRICKY), base64Literals(code));
        assertEquals("Successfully passed 'text' as 'remote_text' to Spark\n", out.stdout.toString());
    }

    @Test
    void aDataFrameIsRebuiltWithItsSchemaOnTheDriver() {
        String payload = "{\"fields\": [{\"name\": \"a\", \"type\": \"long\"}], \"rows\": [[1], [null]]}";
        kernel.localAnswers.add(TransferCode.MARKER + "{\"data\": \"" + base64(payload)
                + "\", \"rows\": 2, \"total\": 2, \"columns\": 1}");

        assertInstanceOf(CellResult.Ok.class, run("%%send_to_spark -i frame -t df"));

        String read = kernel.onlyLocalCell().code();
        assertEquals(List.of("frame", "df"), base64Literals(read));
        String code = kernel.onlyRemoteCode();
        assertTrue(code.contains("return spark.createDataFrame(rows, schema)"), code);
        assertTrue(code.contains("\n    frame = _livy_kernel_frame(__import__('base64').b64decode('"), code);
        assertTrue(code.endsWith("finally:\n    del _livy_kernel_frame\n"), code);
        assertEquals(List.of(payload), base64Literals(code));
        assertEquals("Successfully passed 'frame' as 'frame' to Spark (a DataFrame of 2 rows and 1 column)\n",
                out.stdout.toString());
    }

    @Test
    void rowsLeftBehindByTheLimitAreAnnounced() {
        kernel.localAnswers.add(TransferCode.MARKER + "{\"data\": \"" + base64("{}")
                + "\", \"rows\": 2500, \"total\": 10000, \"columns\": 3}");

        run("%%send_to_spark -i frame -t df");

        assertTrue(out.stdout.toString().contains("Only the first 2,500 of its 10,000 rows were sent; -m sets the"
                + " limit, -m -1 sends all."), out.stdout.toString());
    }

    @Test
    void limitsComeFromFlagsThenTheConfiguration() throws Exception {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, "{\"magics\": {\"sendToSpark\": {\"maxRows\": 10, \"maxBytes\": 1000}}}");
        kernel.config = KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, file.toString()));
        kernel.localAnswers.add(TransferCode.MARKER + "{\"data\": \"\"}");
        kernel.localAnswers.add(TransferCode.MARKER + "{\"data\": \"\"}");

        run("%%send_to_spark -i frame -t df");
        run("%%send_to_spark -i frame -t df -m -1");

        assertTrue(kernel.localCells.get(0).code().contains(", 10, 1000))"));
        assertTrue(kernel.localCells.get(1).code().contains(", -1, 1000))"));
    }

    @Test
    void valuesThatCannotBeSentAreExplainedAndNothingIsSent() {
        Map<String, String> expected = Map.of(
                "{\"error\": \"missing\"}", "Variable named 'x' not found in the local Python",
                "{\"error\": \"none\"}", "Variable 'x' is None",
                "{\"error\": \"type\", \"type\": \"DataFrame\"}", "-t str sends a string, and 'x' is a DataFrame; use -t df",
                "{\"error\": \"type\", \"type\": \"int\"}", "'x' is a int; convert it with str()",
                "{\"error\": \"size\", \"size\": 20000000}", "'x' is 20,000,000 bytes encoded, more than the 10,485,760");
        expected.forEach((answer, message) -> {
            kernel.localAnswers.add(TransferCode.MARKER + answer);
            CellResult.Error error = error("%%send_to_spark -i x");
            assertTrue(error.evalue().contains(message), answer + " -> " + error.evalue());
        });
        kernel.localAnswers.add(TransferCode.MARKER + "{\"error\": \"type\", \"type\": \"str\"}");
        assertTrue(error("%%send_to_spark -i x -t df").evalue().contains("'x' is a str; use -t str"));
        kernel.localAnswers.add(TransferCode.MARKER + "{\"error\": \"columns\", \"columns\": [\"a\", \"a\"]}");
        assertTrue(error("%%send_to_spark -i x -t df").evalue().contains("distinct column names"));
        assertTrue(kernel.remoteCode.isEmpty(), "nothing may reach the driver: " + kernel.remoteCode);
    }

    @Test
    void aRemoteFailureIsTheCellsError() {
        kernel.localAnswers.add(TransferCode.MARKER + "{\"data\": \"\"}");
        kernel.remoteAnswers.add(new UserFacingException("TypeError", "field a: LongType() can not accept object"));

        CellResult.Error error = error("%%send_to_spark -i x -t df");

        assertEquals("TypeError", error.ename());
        assertEquals("", out.stdout.toString(), "no success message after a failure");
    }

    @Test
    void onlyBase64EverReachesALiteral() {
        assertThrows(IllegalArgumentException.class, () -> TransferCode.pyStringFromBase64("abc')\nimport os#"));
        assertEquals("__import__('base64').b64decode('').decode('utf-8', 'surrogatepass')",
                TransferCode.pyStringFromBase64(""));
    }

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

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
