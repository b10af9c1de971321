package io.livykernel.backend.livy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.api.Completion;
import java.util.List;
import org.junit.jupiter.api.Test;

class PySparkCompleterTest {
    private final PySparkCompleter completer = new PySparkCompleter();

    private List<String> complete(String code) {
        return completer.complete(code, code.length()).matches();
    }

    @Test
    void completesSparkSessionAndContextMembers() {
        assertTrue(complete("spark.cre").contains("spark.createDataFrame"));
        assertEquals(List.of("sc.parallelize"), complete("sc.paral"));
        assertTrue(complete("spark.read.par").contains("spark.read.parquet"));
    }

    @Test
    void completesFunctionsThroughTheAliasTheNotebookImported() {
        completer.learn("import pyspark.sql.functions as fn");
        assertTrue(complete("fn.col").contains("fn.collect_list"));
        completer.learn("from pyspark.sql import functions as G");
        assertTrue(complete("G.regexp_").contains("G.regexp_replace"));
    }

    @Test
    void knowsDataFramesByWhereTheyCameFrom() {
        completer.learn("sales = spark.sql('select * from t')\nbig = sales.filter('x > 1')");
        assertTrue(complete("big.group").contains("big.groupBy"));
        assertTrue(complete("sales.write.save").contains("sales.write.saveAsTable"));
    }

    @Test
    void offersNamesTheCellsDefinedKeywordsAndBuiltins() {
        completer.learn("threshold_value = 3\ndef tidy(df):\n    return df\nfor row_index, row in []:\n    pass");
        assertTrue(complete("thresh").contains("threshold_value"));
        assertTrue(complete("tid").contains("tidy"));
        assertTrue(complete("row_i").contains("row_index"));
        assertTrue(complete("whi").contains("while"));
        assertTrue(complete("isinst").contains("isinstance"));
    }

    @Test
    void completesModulesAfterImportAndReplacesOnlyTheToken() {
        assertTrue(complete("from pyspark.sql.fu").contains("pyspark.sql.functions"));
        Completion c = completer.complete("x = spark.ra", "x = spark.ra".length());
        assertEquals(4, c.cursorStart());
        assertEquals(List.of("spark.range"), c.matches());
    }

    @Test
    void unknownObjectsGetNoGuesses() {
        assertEquals(List.of(), complete("mystery.fo"));
    }
}
