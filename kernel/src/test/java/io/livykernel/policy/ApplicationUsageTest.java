package io.livykernel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.livykernel.messages.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
                + " and 5 vcores in 3 containers (the application master and 2 executors) now; queue root.notebooks;"
                + " running for 5400 s", usage.summary());
    }

    @Test
    void oneContainerIsTheApplicationMasterAloneAndNoneIsSaid() {
        assertTrue(held(1).contains("holding 1024 MB and 1 vcores in 1 container (the application master) now"),
                held(1));
        assertTrue(held(2).contains("in 2 containers (the application master and 1 executor) now"), held(2));
        assertTrue(held(0).contains("holding 0 MB and 0 vcores in no container now"), held(0));
    }

    private static String held(int containers) {
        return ApplicationUsage.fromResourceManager(Json.parseObject("{\"app\": {\"id\": \"application_1_0003\","
                + " \"state\": \"RUNNING\", \"allocatedMB\": " + 1024 * containers + ", \"allocatedVCores\": " + containers
                + ", \"runningContainers\": " + containers + "}}")).summary();
    }

    @Test
    void anEndedApplicationsFiguresAreItsTotalsWithNothingHeld() {
        ApplicationUsage usage = ApplicationUsage.fromResourceManager(Json.parseObject("{\"app\": {\"id\":"
                + " \"application_1_0002\", \"state\": \"FINISHED\", \"finalStatus\": \"SUCCEEDED\", \"queue\":"
                + " \"default\", \"elapsedTime\": 61000, \"memorySeconds\": 7372800, \"vcoreSeconds\": 3600,"
                + " \"allocatedMB\": -1, \"allocatedVCores\": -1, \"runningContainers\": -1}}"));
        assertEquals("application_1_0002: 2.000 GB-hours, 1.000 vcore-hours in total; queue default; ran for 61 s",
                usage.summary());
    }

    @Test
    void aFigureTheAnswerLacksIsSaidAsNotReportedNotAsZero() {
        ApplicationUsage usage = ApplicationUsage.fromResourceManager(Json.parseObject(
                "{\"app\": {\"id\": \"application_1_0001\", \"state\": \"RUNNING\"}}"));
        assertTrue(usage.summary().startsWith("application_1_0001: (not reported) GB-hours, (not reported)"
                + " vcore-hours so far; holding memory not reported"), usage.summary());
    }

    /** The real MiniYARNCluster's answer for a finished SparkPi, kept in tests/yarn-samples (see its INDEX.md). */
    private static String recordedFinishedApp() throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path sample = p.resolve("tests/yarn-samples/rm-app-finished-sparkpi.json");
            if (Files.isRegularFile(sample) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return Files.readString(sample, StandardCharsets.UTF_8);
            }
        }
        return fail("tests/yarn-samples/rm-app-finished-sparkpi.json not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void aRecordedAnswerOfARealResourceManagerGivesTheTotalsOfTheEndedApplication() throws IOException {
        ApplicationUsage usage = ApplicationUsage.fromResourceManager(Json.parseObject(recordedFinishedApp()));
        assertEquals(36360 / 1024.0 / 3600, usage.gbHours(), 1e-12);
        assertEquals(40 / 3600.0, usage.vcoreHours(), 1e-12);
        assertEquals("SUCCEEDED", usage.finalStatus());
        // an ended application holds nothing: YARN's -1 is not turned into a figure
        assertEquals("application_1796440423210_0001: 0.010 GB-hours, 0.011 vcore-hours in total; queue default;"
                + " ran for 28 s", usage.summary());
    }

    @Test
    void anAnswerThatIsNotAnApplicationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ApplicationUsage.fromResourceManager(
                Json.parseObject("{\"RemoteException\": {\"message\": \"app not found\"}}")));
    }
}
