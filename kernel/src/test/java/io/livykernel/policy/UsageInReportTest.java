package io.livykernel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.analyze.HtmlReport;
import io.livykernel.analyze.JsonReport;
import io.livykernel.analyze.Report;
import io.livykernel.analyze.TextReport;
import io.livykernel.messages.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The analyser's report shows what the application used, in text, HTML and JSON, with its source. */
class UsageInReportTest {
    private static final Report REPORT = new Report("application_1733300000000_0007", "etl", "captured", "3.5.1", true,
            1000, List.of(), List.of(), List.of(), List.of());

    private static ResourceUsage accounted() throws IOException {
        try (InputStream in = UsageInReportTest.class.getResourceAsStream("rm-app-running.json")) {
            return ResourceUsage.fromResourceManager(ApplicationUsage.fromResourceManager(
                    Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8))), "http://rm:8088");
        }
    }

    @Test
    void theResourceManagersFiguresAreInEveryFormOfTheReport() throws IOException {
        Report report = REPORT.withUsage(accounted());
        String line = "Resources used (from the YARN ResourceManager at http://rm:8088): application_1733300000000_0007:"
                + " 15.000 GB-hours, 5.750 vcore-hours so far";
        assertTrue(TextReport.render(report).contains(line), TextReport.render(report));
        assertTrue(HtmlReport.render(report).contains("<p>" + line), HtmlReport.render(report));
        JsonObject usage = JsonReport.toJson(report).getAsJsonObject("resourceUsage");
        assertEquals("resourceManager", usage.get("source").getAsString());
        assertEquals(15.0, usage.get("gbHours").getAsDouble(), 1e-9);
        assertEquals(5.75, usage.get("vcoreHours").getAsDouble(), 1e-9);
        assertEquals("root.notebooks", usage.get("queue").getAsString());
        assertEquals(5_400_000, usage.get("elapsedMs").getAsLong());
    }

    @Test
    void usageThatCannotBeKnownIsSaidWithItsReasonAndNoFigure() {
        Report report = REPORT.withUsage(ResourceUsage.unavailable("local-1", "no YARN application: local mode"));
        assertTrue(TextReport.render(report).contains("Resources used: not available (no YARN application: local"
                + " mode)"));
        JsonObject usage = JsonReport.toJson(report).getAsJsonObject("resourceUsage");
        assertEquals("none", usage.get("source").getAsString());
        assertEquals("no YARN application: local mode", usage.get("unavailable").getAsString());
        assertFalse(usage.has("gbHours") || usage.has("executors"), usage.toString());
    }

    @Test
    void aReportWithoutUsageSaysNothingAboutIt() {
        assertTrue(JsonReport.toJson(REPORT).get("resourceUsage").isJsonNull());
        assertFalse(TextReport.render(REPORT).contains("Resources"));
    }
}
