package io.livykernel.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class NotebookConverterTest {
    private static String notebook(String... cells) {
        JsonArray list = new JsonArray();
        for (int i = 0; i < cells.length; i += 2) {
            JsonObject cell = new JsonObject();
            cell.addProperty("cell_type", cells[i]);
            JsonArray source = new JsonArray();
            cells[i + 1].lines().forEach(l -> source.add(l + "\n"));   // nbformat splits source into lines
            cell.add("source", source);
            list.add(cell);
        }
        JsonObject nb = new JsonObject();
        nb.add("cells", list);
        return nb.toString();
    }

    @Test
    void codeCellsInOrderConfigureSeparateLocalLeftOut() throws BatchSubmissionException {
        NotebookJob job = NotebookConverter.convert(notebook(
                "markdown", "# Title",
                "code", "%%configure -f\n{\"executorMemory\": \"2g\"}",
                "code", "x = 1",
                "code", "%%local\nimport pandas",
                "code", "  ",
                "code", "if x:\n    %matplot plt\nprint(x + 1)"), "nb.ipynb");
        assertEquals("{\"executorMemory\": \"2g\"}\n", job.configureBody());
        String src = job.source();
        assertTrue(src.contains("spark = SparkSession.builder.getOrCreate()"));
        assertTrue(src.indexOf("x = 1") < src.indexOf("print(x + 1)"));
        assertTrue(src.contains("    pass  # left out: %matplot plt"), src);
        assertTrue(!src.contains("import pandas") && !src.contains("# Title") && !src.contains("executorMemory"));
        assertEquals(2, job.notes().size(), job.notes().toString());
        assertTrue(job.notes().get(0).contains("cell 4 (%%local) left out"));
    }

    @Test
    void noConfigureMeansNoSettings() throws BatchSubmissionException {
        assertNull(NotebookConverter.convert(notebook("code", "print(1)"), "nb").configureBody());
    }

    @Test
    void sqlAndScalaCellsAreRefusedWithAHint() {
        BatchSubmissionException e = assertThrows(BatchSubmissionException.class,
                () -> NotebookConverter.convert(notebook("code", "%%sql\nSELECT 1"), "nb.ipynb"));
        assertTrue(e.getMessage().contains("cell 1 is %%sql") && e.getMessage().contains("spark.sql"), e.getMessage());
        assertThrows(BatchSubmissionException.class,
                () -> NotebookConverter.convert(notebook("code", "%%scala\n1"), "nb.ipynb"));
    }

    @Test
    void twoConfigureCellsAndBadJsonAreErrors() {
        assertThrows(BatchSubmissionException.class, () -> NotebookConverter.convert(
                notebook("code", "%%configure\n{}", "code", "%%configure\n{}"), "nb"));
        assertThrows(BatchSubmissionException.class, () -> NotebookConverter.convert("{not json", "nb"));
        assertThrows(BatchSubmissionException.class, () -> NotebookConverter.convert("{}", "nb"));
    }
}
