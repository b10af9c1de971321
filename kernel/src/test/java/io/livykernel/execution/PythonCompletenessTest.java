package io.livykernel.execution;

import io.livykernel.api.Completeness;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livykernel.api.Completeness.Status;
import org.junit.jupiter.api.Test;

/** is_complete verdicts as a console sees them; each expectation is what IPython 8's check_complete answers. */
class PythonCompletenessTest {

    @Test
    void finishedStatementsAreComplete() {
        assertComplete("x = 1");
        assertComplete("print(x)\ny = [1, 2]");
        assertComplete("");
    }

    @Test
    void lineEndingInColonWaitsWithOneMoreIndentLevel() {
        assertIncomplete("for i in range(3):", "    ");
        assertIncomplete("def f():\n    if x:", "        ");
        assertIncomplete("if x:  # a comment", "    ");
    }

    @Test
    void indentedLastLineOfABlockWaitsAtThatIndent() {
        assertIncomplete("if x:\n    y = 1", "    ");
    }

    @Test
    void emptyLineAfterABlockCompletesIt() {
        assertComplete("if x:\n    y = 1\n\n");
    }

    @Test
    void openBracketWaitsAtTheIndentOfTheLastLine() {
        assertIncomplete("foo(1,", "");
        assertIncomplete("def f():\n    return g(1,", "    ");
        assertIncomplete("x = [1,\n     2", "     ");
        assertIncomplete("d = {'a': (1, [2,", "");
    }

    @Test
    void openTripleQuotedStringWaits() {
        assertIncomplete("x = \"\"\"abc", "");
        assertIncomplete("x = '''first line\nsecond line", "");
        assertComplete("x = \"\"\"abc\ndef\"\"\"");
    }

    @Test
    void backslashContinuationWaits() {
        assertIncomplete("x = 1 + \\", "");
        assertIncomplete("def f():\n    return 1 + \\", "    ");
    }

    @Test
    void unmatchedClosingBracketIsInvalid() {
        assertInvalid("foo)");
        assertInvalid("x = [1, 2)");
        assertInvalid("}");
    }

    @Test
    void singleQuotedStringBrokenByANewlineIsInvalid() {
        assertInvalid("s = 'abc\ndef'");
    }

    @Test
    void bracketsAndQuotesInCommentsAreIgnored() {
        assertComplete("x = 1  # (unclosed 'quote [");
        assertComplete("# ) ] }\nx = 2");
    }

    @Test
    void bracketsInStringsAreIgnored() {
        assertComplete("s = \"([{\"");
        assertComplete("s = ')]}' + \"it's\"");
        assertComplete("s = \"a \\\" ( b\"");
    }

    @Test

    void colonAfterAStringContainingAHashStillOpensABlock() {
        assertIncomplete("if line.startswith(\"#\"):", "    ");
    }

    @Test

    void statementWhoseBracketsCloseOnAnIndentedLineIsComplete() {
        assertComplete("d = {\n    'a': 1,\n    'b': 2}");
    }

    private static void assertComplete(String code) {
        assertEquals(Completeness.complete(), PythonCompleteness.judge(code), code);
    }

    private static void assertIncomplete(String code, String indent) {
        assertEquals(Completeness.incomplete(indent), PythonCompleteness.judge(code), code);
    }

    private static void assertInvalid(String code) {
        assertEquals(Status.INVALID, PythonCompleteness.judge(code).status(), code);
    }
}
