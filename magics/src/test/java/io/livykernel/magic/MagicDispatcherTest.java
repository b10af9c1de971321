package io.livykernel.magic;

import static io.livykernel.magic.FakeKernel.cell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.Completeness;
import io.livykernel.api.Completion;
import io.livykernel.api.Inspection;
import io.livykernel.api.MimeBundle;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.MagicSupport;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;

class MagicDispatcherTest {
    private final MagicDispatcher dispatcher = new MagicDispatcher();
    private final FakeKernel remote = FakeKernel.withRemotePrimary();
    private final FakeKernel ipython = FakeKernel.withIPythonPrimary();
    private final FakeKernel.RecordingOutput out = new FakeKernel.RecordingOutput();

    @Test
    void kernelFindsTheDispatcherThroughServiceLoader() {
        assertInstanceOf(MagicDispatcher.class, ServiceLoader.load(MagicSupport.class).findFirst().orElseThrow());
    }

    // --- claims

    @Test
    void claimsItsOwnMagicsOnEveryBackend() {
        for (FakeKernel kernel : List.of(remote, ipython)) {
            assertTrue(dispatcher.claims("%%help", kernel));
            assertTrue(dispatcher.claims("%help local", kernel));
            assertTrue(dispatcher.claims("\n%%local\nx = 1", kernel));
        }
    }

    @Test
    void ordinaryCodeIsNotClaimed() {
        assertFalse(dispatcher.claims("x = 10 % 3", remote));
        assertFalse(dispatcher.claims("# %%local\nx = 1", remote));
    }

    @Test
    void unknownMagicIsClaimedWhenTheBackendCannotRunIPythonMagics() {
        assertTrue(dispatcher.claims("%%timeit\nsum(range(10))", remote));
        assertTrue(dispatcher.claims("%hlep", remote));
    }

    @Test
    void unknownMagicIsLeftToABackendThatRunsIPythonMagics() {
        assertFalse(dispatcher.claims("%%timeit\nsum(range(10))", ipython));
        assertFalse(dispatcher.claims("%matplotlib inline", ipython));
    }

    @Test
    void livyReplLineMagicsPassThroughToTheRemoteBackend() {
        assertFalse(dispatcher.claims("%matplot plt", remote));
        assertFalse(dispatcher.claims("%table df", remote));
        assertFalse(dispatcher.claims("%json result", remote));
    }

    // --- execute

    @Test
    void unknownMagicIsAUsageErrorWithDidYouMeanAndTheList() {
        CellResult.Error error = usageError("%%hlep");

        assertTrue(error.evalue().contains("%%hlep"), error.evalue());
        assertTrue(error.evalue().contains("Did you mean %help?"), error.evalue());
        assertTrue(error.evalue().contains("%help, %%local"), error.evalue());
        assertNothingExecuted();
    }

    @Test
    void misspelledCellMagicSuggestsTheCellForm() {
        assertTrue(usageError("%%lcoal\nx = 1").evalue().contains("Did you mean %%local?"));
    }

    @Test
    void doublePercentWithoutANameListsTheMagics() {
        CellResult.Error error = usageError("%%\nx = 1");

        assertTrue(error.evalue().contains("names no magic"), error.evalue());
        assertTrue(error.evalue().contains("%help, %%local"), error.evalue());
    }

    @Test
    void unknownFlagIsAUsageErrorWithTheUsageLine() {
        CellResult.Error error = usageError("%%help --verbose");

        assertTrue(error.evalue().contains("--verbose"), error.evalue());
        assertTrue(error.evalue().contains("\nusage: %help"), error.evalue());
    }

    @Test
    void usageLineListsTheMagicsFlags() {
        MagicDispatcher withSql = new MagicDispatcher(new MagicRegistry(List.of(new SqlMagic())));

        CellResult.Error error = usageError(withSql, "%%sql --nope\nSELECT 1");

        assertTrue(error.evalue().contains("usage: %%sql [-o VAR] [-q]"), error.evalue());
    }

    @Test
    void unclosedQuoteIsAUsageError() {
        CellResult.Error error = usageError("%%help 'local");

        assertTrue(error.evalue().contains("unclosed"), error.evalue());
        assertTrue(error.evalue().contains("usage: %help"), error.evalue());
    }

    @Test
    void localRunsOnlyTheBodyOnTheLocalBackend() {
        CellResult result = run("%%local\nimport pandas as pd\npd.__version__");

        assertInstanceOf(CellResult.Ok.class, result);
        assertTrue(remote.primary.executed.isEmpty(), "the remote backend ran a %%local cell");
        assertEquals(1, remote.local.executed.size());
        Cell ran = remote.local.executed.get(0);
        assertEquals("import pandas as pd\npd.__version__", ran.code());
        assertEquals(7, ran.executionCount());
        assertEquals("ran on local", out.stdout.toString());
    }

    @Test
    void localWithoutBodyIsAUsageError() {
        assertTrue(usageError("%%local\n   \n").evalue().contains("needs code"));
        assertNothingExecuted();
    }

    @Test
    void helpShowsEveryMagicAsTextAndHtml() {
        assertInstanceOf(CellResult.Ok.class, run("%%help"));

        MimeBundle shown = onlyDisplay();
        String html = shown.data().get("text/html").getAsString();
        for (MagicCommand magic : MagicRegistry.standard().all()) {
            String written = MagicHelp.prefix(magic) + magic.name();
            assertTrue(shown.plainText().contains(written), "text lacks " + written);
            assertTrue(shown.plainText().contains(magic.summary()), "text lacks the summary of " + written);
            assertTrue(html.contains("<code>" + written + "</code>"), "html lacks " + written);
        }
    }

    @Test
    void helpWithANameShowsThatMagicInFull() {
        MagicCommand local = MagicRegistry.standard().find("local").orElseThrow();

        for (String code : new String[] {"%%help local", "%help %%local"}) {
            out.displays.clear();
            assertInstanceOf(CellResult.Ok.class, run(code));

            assertEquals(MagicHelp.text(local), onlyDisplay().plainText(), code);
        }
    }

    @Test
    void helpForAnUnknownNameIsAUsageErrorWithSuggestions() {
        CellResult.Error error = usageError("%%help lcoal");

        assertTrue(error.evalue().contains("no magic named 'lcoal'"), error.evalue());
        assertTrue(error.evalue().contains("Did you mean %%local?"), error.evalue());
    }

    @Test
    void helpWithACellBodyIsAUsageError() {
        assertTrue(usageError("%%help\nprint(1)").evalue().contains("takes no cell body"));
        assertTrue(out.displays.isEmpty());
    }

    // --- complete

    @Test
    void completesLineMagicNames() {
        assertCompletion("%he", List.of("%help"), 0, 3);
    }

    @Test
    void completesCellMagicNames() {
        assertCompletion("%%loc", List.of("%%local"), 0, 5);
    }

    @Test
    void completingACellMagicWithOnePercentOffersTheCellForm() {
        assertCompletion("%loc", List.of("%%local"), 0, 4);
    }

    @Test
    void completesTheMagicsFlags() {
        MagicDispatcher withSql = new MagicDispatcher(new MagicRegistry(List.of(new SqlMagic())));

        Completion longFlags = withSql.complete("%%sql --o", 9, remote);
        assertEquals(List.of("--output"), longFlags.matches());
        assertEquals(6, longFlags.cursorStart());
        assertEquals(9, longFlags.cursorEnd());
        assertEquals(List.of("--output", "-o", "--quiet", "-q"), withSql.complete("%%sql -", 7, remote).matches());
    }

    @Test
    void leavesCompletionOfOrdinaryCodeAndMagicBodiesToTheBackend() {
        assertNull(dispatcher.complete("pri", 3, remote));
        assertNull(dispatcher.complete("%%local\npri", 11, remote));
    }

    // --- inspect

    @Test
    void inspectingAMagicShowsItsHelp() {
        Inspection inspection = dispatcher.inspect("%%local\nx = 1", 4, remote);

        assertNotNull(inspection);
        MagicCommand local = MagicRegistry.standard().find("local").orElseThrow();
        assertEquals(MagicHelp.text(local), inspection.data().plainText());
        assertTrue(inspection.data().data().get("text/html").getAsString().startsWith("<pre>"));
    }

    @Test
    void inspectingTheBodyOrAnUnknownMagicIsLeftToTheBackend() {
        assertNull(dispatcher.inspect("%%local\nx = 1", 11, remote));
        assertNull(dispatcher.inspect("%%timeit\nx = 1", 3, remote));
    }

    // --- is_complete

    @Test
    void magicThatNeedsABodyIsIncompleteUntilABlankLineFollowsIt() {
        assertEquals(Completeness.Status.INCOMPLETE, dispatcher.isComplete("%%local").status());
        assertEquals(Completeness.Status.INCOMPLETE, dispatcher.isComplete("%%local\nx = 1").status());
        assertEquals(Completeness.complete(), dispatcher.isComplete("%%local\nx = 1\n\n"));
    }

    @Test
    void magicWithoutBodyIsCompleteAtOnce() {
        assertEquals(Completeness.complete(), dispatcher.isComplete("%%help"));
    }

    @Test
    void ordinaryCodeIsLeftToTheBackend() {
        assertNull(dispatcher.isComplete("for i in range(3):"));
    }

    @Test

    void unknownCellMagicIsNotDeclaredComplete() {
        Completeness verdict = dispatcher.isComplete("%%timeit");

        assertTrue(verdict == null || verdict.status() == Completeness.Status.INCOMPLETE, String.valueOf(verdict));
    }

    private CellResult run(String code) {
        return run(dispatcher, code);
    }

    private CellResult run(MagicDispatcher magics, String code) {
        try {
            return magics.execute(cell(code), out, remote);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private CellResult.Error usageError(String code) {
        return usageError(dispatcher, code);
    }

    private CellResult.Error usageError(MagicDispatcher magics, String code) {
        CellResult.Error error = assertInstanceOf(CellResult.Error.class, run(magics, code));
        assertEquals("UsageError", error.ename());
        return error;
    }

    private void assertNothingExecuted() {
        assertTrue(remote.primary.executed.isEmpty());
        assertTrue(remote.local.executed.isEmpty());
    }

    private MimeBundle onlyDisplay() {
        assertEquals(1, out.displays.size());
        MimeBundle shown = out.displays.get(0);
        assertNotNull(shown.plainText());
        assertTrue(shown.data().containsKey("text/html"));
        return shown;
    }

    private void assertCompletion(String code, List<String> matches, int start, int end) {
        Completion completion = dispatcher.complete(code, code.length(), remote);
        assertNotNull(completion, code);
        assertEquals(matches, completion.matches());
        assertEquals(start, completion.cursorStart());
        assertEquals(end, completion.cursorEnd());
    }

    /** A cell magic with flags, to exercise flag parsing, usage lines and flag completion. */
    private static final class SqlMagic implements MagicCommand {
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
            return "Run SQL.";
        }

        @Override
        public String example() {
            return "%%sql -o df\nSELECT 1";
        }

        @Override
        public Options options() {
            return new Options()
                    .addOption(Option.builder("o").longOpt("output").hasArg().argName("VAR").desc("store rows").build())
                    .addOption(Option.builder("q").longOpt("quiet").desc("show nothing").build());
        }

        @Override
        public Body body() {
            return Body.REQUIRED;
        }

        @Override
        public CellResult run(MagicCall call, CellOutput out, KernelContext context) {
            return CellResult.ok();
        }
    }
}
