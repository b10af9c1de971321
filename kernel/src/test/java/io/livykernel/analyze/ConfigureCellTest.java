package io.livykernel.analyze;

import com.google.gson.JsonObject;
import io.livykernel.messages.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigureCellTest {

    private static Finding finding(String id, Severity severity, String... settingValue) {
        Heuristic h = new Heuristic() {
            public String id() {
                return id;
            }

            public String title() {
                return id;
            }

            public Finding evaluate(AppMetrics metrics) {
                throw new UnsupportedOperationException();
            }
        };
        Finding.Builder b = Finding.of(h).severity(severity).adviseCode("rewrite the query");
        for (int i = 0; i < settingValue.length; i += 2) {
            b.advise(settingValue[i], settingValue[i + 1], "because");
        }
        return b.build();
    }

    private static Report report(Finding... findings) {
        return new Report("app-1", "etl", "captured", "3.5.1", true, 1000, List.of(findings), List.of(), List.of(),
                List.of());
    }

    @Test
    void mergesAdviceOverCurrentSettingsWorstFindingFirst() {
        JsonObject current = Json.parseObject("{\"executorMemory\":\"2g\",\"conf\":{\"spark.sql.shuffle.partitions\":"
                + "\"200\",\"spark.yarn.queue.note\":\"x\",\"spark.hadoop.fs.s3a.secret.key\":\"hunter2\"}}");
        ConfigureCell cell = ConfigureCell.of(report(
                finding("partitions", Severity.MODERATE, "spark.sql.shuffle.partitions", "16"),
                finding("spill", Severity.SEVERE, "spark.sql.shuffle.partitions", "400", "spark.executor.memory",
                        "3g", "spark.executor.cores", "2")), current, request -> List.of());

        JsonObject s = cell.settings();
        assertEquals("3g", s.get("executorMemory").getAsString(), "Spark's memory setting goes to Livy's field");
        assertEquals(2, s.get("executorCores").getAsInt());
        assertEquals("400", s.getAsJsonObject("conf").get("spark.sql.shuffle.partitions").getAsString(),
                "the severe finding's value wins");
        assertEquals("x", s.getAsJsonObject("conf").get("spark.yarn.queue.note").getAsString(), "current kept");
        assertFalse(cell.text().contains("hunter2"), "secrets are never shown: " + cell.text());
        assertTrue(cell.text().startsWith("%%configure -f\n{"), cell.text());
        assertEquals(3, cell.changes().size(), cell.changes().toString());
        assertEquals("200", cell.changes().stream().filter(c -> c.setting().equals("spark.sql.shuffle.partitions"))
                .findFirst().orElseThrow().from());
        assertEquals("x", current.getAsJsonObject("conf").get("spark.yarn.queue.note").getAsString(),
                "the current settings are not changed");
    }

    @Test
    void leavesOutAdviceOverThePlatformsCaps() {
        ConfigureCell cell = ConfigureCell.of(report(finding("executor-memory", Severity.CRITICAL,
                        "spark.executor.memory", "16g", "spark.memory.fraction", "0.7")), new JsonObject(),
                request -> request.has("executorMemory") && request.get("executorMemory").getAsString().equals("16g")
                        ? List.of("executorMemory 16g is above this platform's limit of 8g; ask for at most 8g")
                        : List.of());

        assertFalse(cell.settings().has("executorMemory"), cell.text());
        assertEquals("0.7", cell.settings().getAsJsonObject("conf").get("spark.memory.fraction").getAsString());
        assertEquals(1, cell.leftOut().size());
        assertTrue(cell.leftOut().get(0).contains("limit of 8g"), cell.leftOut().toString());
    }

    @Test
    void emptyWithoutSettingAdvice() {
        ConfigureCell cell = ConfigureCell.of(report(finding("cartesian-join", Severity.SEVERE)), new JsonObject(),
                request -> List.of());
        assertTrue(cell.isEmpty());
    }
}
