package io.livykernel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.messages.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApplicationUsageTest {
    /** A ResourceManager answer in the shape Hadoop 3's REST API documents for GET /ws/v1/cluster/apps/{appId}. */
    private static String runningApp() throws IOException {
        try (InputStream in = ApplicationUsageTest.class.getResourceAsStream("rm-app-running.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theResourceManagersFiguresBecomeHoursAndWhatIsHeldNow() throws IOException {
        ApplicationUsage usage = ApplicationUsage.fromResourceManager(Json.parseObject(runningApp()));
        assertEquals(15.0, usage.gbHours(), 1e-9, "55,296,000 MB-seconds");
        assertEquals(5.75, usage.vcoreHours(), 1e-9);
        assertEquals("application_1733300000000_0007: 15.000 GB-hours, 5.750 vcore-hours so far; holding 13312 MB"
                + " and 5 vcores now; queue root.notebooks; running for 5400 s", usage.summary());
    }

    @Test
    void aFigureTheAnswerLacksIsSaidAsNotReportedNotAsZero() {
        ApplicationUsage usage = ApplicationUsage.fromResourceManager(Json.parseObject(
                "{\"app\": {\"id\": \"application_1_0001\", \"state\": \"FINISHED\"}}"));
        assertTrue(usage.summary().startsWith("application_1_0001: (not reported) GB-hours, (not reported)"
                + " vcore-hours so far; holding memory not reported"), usage.summary());
    }

    @Test
    void anAnswerThatIsNotAnApplicationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ApplicationUsage.fromResourceManager(
                Json.parseObject("{\"RemoteException\": {\"message\": \"app not found\"}}")));
    }
}
