package io.livykernel.backend.livy.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.api.CellResult;
import io.livykernel.api.MimeBundle;
import io.livykernel.backend.livy.RecordingOutput;
import io.livykernel.backend.livy.rest.LivySamples;
import io.livykernel.backend.livy.rest.LivyStatement;
import io.livykernel.backend.livy.rest.StatementOutput;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How real statement outputs (the recorded samples) look in the notebook. */
class LivyOutputsTest {
    private static final int LIMIT = 1 << 20;

    private static StatementOutput output(String sample) {
        return LivyStatement.fromJson(LivySamples.read(sample).getAsJsonObject("response").getAsJsonObject("body"))
                .output();
    }

    @Test
    void printedTextAndValuesGoToStdout() {
        RecordingOutput out = new RecordingOutput();
        LivyOutputs.show(output("022-stmt-print-result.json"), out, LIMIT);
        assertTrue(out.displays().isEmpty());
        assertTrue(out.stdout().endsWith("\n"));
        assertTrue(out.stdout().length() > 1);
    }

    @Test
    void pythonErrorsKeepLivysTracebackAndEndWithNameAndValue() {
        CellResult.Error error = LivyOutputs.error(output("025-stmt-python-exception-result.json"));
        assertEquals("ZeroDivisionError", error.ename());
        assertEquals("division by zero", error.evalue());
        assertEquals("Traceback (most recent call last):", error.traceback().get(0));
        assertTrue(error.traceback().get(error.traceback().size() - 1).endsWith("ZeroDivisionError\u001b[0m: division by zero"));
        assertEquals(1, error.traceback().stream().filter(l -> l.contains("division by zero")).count());
    }

    @Test
    void syntaxErrorsShowTheCaret() {
        CellResult.Error error = LivyOutputs.error(output("027-stmt-syntax-error-result.json"));
        assertEquals("SyntaxError", error.ename());
        assertTrue(error.traceback().stream().anyMatch(l -> l.trim().equals("^")));
    }

    @Test
    void livyTablesBecomeHtmlAndTextTables() {
        RecordingOutput out = new RecordingOutput();
        LivyOutputs.show(output("048-stmt-table-magic-result.json"), out, LIMIT);
        MimeBundle shown = out.displays().get(0);
        String html = shown.data().get("text/html").getAsString();
        assertTrue(html.contains("<th>a</th><th>b</th>") && html.contains("<td>2</td><td>y</td>"), html);
        assertEquals(List.of("a  b", "1  x", "2  y"), shown.plainText().lines().map(String::stripTrailing).toList());
    }

    @Test
    void sqlResultsBecomeATableAndKeepTheirJson() {
        RecordingOutput out = new RecordingOutput();
        LivyOutputs.show(output("034-stmt-sql-kind-result.json"), out, LIMIT);
        MimeBundle shown = out.displays().get(0);
        assertTrue(shown.data().get("application/json").isJsonObject());
        assertTrue(shown.data().get("text/html").getAsString().contains("<td>1</td><td>x</td>"));
    }

    @Test
    void matplotImagesAreDisplayedWithATextFallback() {
        RecordingOutput out = new RecordingOutput();
        LivyOutputs.show(output("053-stmt-matplot-magic-result.json"), out, LIMIT);
        MimeBundle shown = out.displays().get(0);
        assertTrue(shown.data().get("image/png").getAsString().length() > 1000);
        // Livy keeps what the code printed (here a matplotlib repr) as text/plain next to the image.
        assertEquals(output("053-stmt-matplot-magic-result.json").data().get("text/plain").getAsString(),
                shown.plainText());
    }

    @Test
    void jsonValuesArePrettyPrintedAsText() {
        RecordingOutput out = new RecordingOutput();
        LivyOutputs.show(output("050-stmt-json-magic-result.json"), out, LIMIT);
        MimeBundle shown = out.displays().get(0);
        assertTrue(shown.data().containsKey("application/json"));
        assertTrue(shown.plainText().contains("\n"), shown.plainText());
    }

    @Test
    void hugeTextIsCutWithANotice() {
        String capped = LivyOutputs.capped("x".repeat(5000), 1000);
        assertTrue(capped.startsWith("x".repeat(1000) + "\n"));
        assertTrue(capped.contains("5000 bytes, over the 1000-byte limit (livy.output.maxBytes)"));
        assertEquals("short", LivyOutputs.capped("short", 1000));
    }
}
