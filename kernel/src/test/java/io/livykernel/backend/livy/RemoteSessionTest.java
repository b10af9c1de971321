package io.livykernel.backend.livy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.api.Cell;
import io.livykernel.api.CellResult;
import io.livykernel.api.MimeBundle;
import io.livykernel.backend.livy.rest.FakeLivy;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivyClientTest;
import io.livykernel.backend.livy.rest.LivySettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's Livy session against an in-JVM Livy that keeps sessions: noticing a lost session at once and
 * starting its replacement, never running code in a session that is not ours (Livy reuses ids after a
 * restart), and an eager start that the first cell can interrupt.
 */
class RemoteSessionTest {
    /** Waits for something the kernel does in the background; a bound only so that a bug fails, not hangs. */
    private static final long PATIENCE_MILLIS = 20_000;

    private FakeLivy livy;
    private final LivySessionsFake server = new LivySessionsFake();
    private LivyBackend backend;

    @BeforeEach
    void start() throws Exception {
        livy = new FakeLivy();
        livy.handle(server);
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
        livy.close();
    }

    private LivyBackend backend(boolean createAtStart) {
        return backend(createAtStart, Duration.ofSeconds(5));
    }

    private LivyBackend backend(boolean createAtStart, Duration requestTimeout) {
        return backend(createAtStart, requestTimeout, Duration.ofHours(1));
    }

    private LivyBackend backend(boolean createAtStart, Duration requestTimeout, Duration heartbeat) {
        LivySettings http = LivySettings.builder(livy.url().toString()).retryPolicy(LivyClientTest.FAST_RETRIES)
                .requestTimeout(requestTimeout).build();
        LivyBackendConfig config = new LivyBackendConfig(http, "pyspark", Duration.ofSeconds(60), createAtStart, 120,
                heartbeat, new JsonObject(), Set.of(), LivyBackendConfig.DEFAULT_MAX_OUTPUT_BYTES);
        LivyClient client = new LivyClient(http);
        backend = new LivyBackend(config, client, "k1", "ana");
        return backend;
    }

    private static Cell cell(String code) {
        return new Cell(code, false, true, false, 1, Map.of());
    }

    private static String shown(RecordingOutput out) {
        StringBuilder text = new StringBuilder();
        out.shown.forEach(s -> text.append(s.text() != null ? s.text() : "")
                .append(s.data() != null ? s.data().plainText() : "").append('\n'));
        return text.toString();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < end, what);
            Thread.sleep(20);
        }
    }

    @Test
    void aSessionKilledBetweenCellsFailsTheCellInOneLineAndItsReplacementStartsAtOnce() throws Exception {
        // Issue 11 item 13: Livy answers the statement POST with 500 "Session is in state dead".
        LivyBackend kernel = backend(false);
        assertInstanceOf(CellResult.Ok.class, kernel.execute(cell("x = 1"), new RecordingOutput()));
        server.kill(0);

        CellResult failed = kernel.execute(cell("print(x)"), new RecordingOutput());

        CellResult.Error error = assertInstanceOf(CellResult.Error.class, failed);
        assertEquals("SparkSessionLost", error.ename());
        assertEquals(1, error.evalue().lines().count(), error.evalue());
        assertTrue(error.evalue().contains("is gone") && error.evalue().contains("new session is starting")
                && error.evalue().contains("run the cell again"), error.evalue());
        awaitTrue(() -> server.session(1) != null, "the replacement is created before the cell is run again");

        RecordingOutput again = new RecordingOutput();
        assertInstanceOf(CellResult.Ok.class, kernel.execute(cell("print(x)"), again));
        assertEquals(List.of("print(x)"), server.session(1).statements, "ran once, in the new session");
        assertFalse(shown(again).contains("is gone"), "the loss is told once: " + shown(again));
    }

    @Test
    void aLossNoticedBetweenCellsIsAnnouncedEvenWhenTheReplacementIsAlreadyReady() throws Exception {
        LivyBackend kernel = backend(false);
        kernel.execute(cell("x = 1"), new RecordingOutput());
        server.kill(0);
        kernel.sessions().current();   // %%info: Livy says dead, and the replacement starts
        awaitTrue(() -> kernel.description().endsWith("session 1 (ready)"), "the replacement is ready");

        RecordingOutput out = new RecordingOutput();
        kernel.execute(cell("y = 2"), out);

        assertTrue(shown(out).contains("The Spark session 0 is gone"), shown(out));
        assertTrue(shown(out).contains("This cell runs in the new session 1"), shown(out));
    }

    @Test
    void aSessionCreatedAfterTheKernelGaveUpOnItsPostIsDeletedNotLeftIdle() throws Exception {
        // Issue 11 item 3: a 503 to POST /sessions, Livy cannot be asked, and the session appears later.
        server.holdSessionPosts = true;
        server.listingsFail = true;
        LivyBackend kernel = backend(false, Duration.ofMillis(300));

        CellResult.Error error = assertInstanceOf(CellResult.Error.class,
                kernel.execute(cell("1 + 1"), new RecordingOutput()));
        LivySessionsFake.Session late = server.landHeldPost();
        server.listingsFail = false;

        assertEquals("LivyOutcomeUnknown", error.ename(), error.evalue());
        awaitTrue(() -> server.session(late.id) == null, "the orphan is deleted");
        assertEquals(1, livy.count("DELETE", "/sessions/" + late.id));
    }

    @Test
    void aSessionReclaimedWhileTheNotebookIsIdleIsReplacedByTheNextCellNotAtOnce() throws Exception {
        // Livy's idle timeout frees unused notebooks' drivers: the heartbeat must not start them again.
        LivyBackend kernel = backend(false, Duration.ofSeconds(5), Duration.ofMillis(100));
        kernel.execute(cell("x = 1"), new RecordingOutput());
        server.restart();   // to the kernel, the same as the idle timeout deleting the session: 404

        awaitTrue(() -> kernel.description().endsWith("(lost)"), "the heartbeat notices");
        Thread.sleep(500);   // several heartbeats

        assertEquals(1, livy.requests().stream().filter(r -> r.method().equals("POST") && r.path().equals("/sessions"))
                .count(), "no new session for an idle notebook");
        RecordingOutput out = new RecordingOutput();
        assertInstanceOf(CellResult.Ok.class, kernel.execute(cell("y = 1"), out), shown(out));
        assertTrue(shown(out).contains("is gone"), shown(out));
    }

    @Test
    void afterALivyRestartAnotherNotebooksSessionWithOurIdIsNeverUsed() throws Exception {
        // Issue 11 item 4: ids restart at 0, and another notebook's new session gets ours.
        LivyBackend kernel = backend(false);
        kernel.execute(cell("x = 1"), new RecordingOutput());
        server.restart();
        LivySessionsFake.Session other = server.createOther("livy-kernel-bob-other");

        RecordingOutput out = new RecordingOutput();
        CellResult result = kernel.execute(cell("secret = 42"), out);

        assertEquals(List.of(), other.statements, "nothing ran in the other notebook's session");
        CellResult.Error lost = assertInstanceOf(CellResult.Error.class, result, shown(out));
        assertEquals("SparkSessionLost", lost.ename());
        assertTrue(lost.evalue().contains("is gone") && lost.evalue().contains("restarted"), lost.evalue());
        awaitTrue(() -> server.session(1) != null, "the replacement starts at once");
        assertInstanceOf(CellResult.Ok.class, kernel.execute(cell("secret = 42"), new RecordingOutput()));
        assertEquals(List.of("secret = 42"), server.session(1).statements);
    }

    @Test
    void aHeartbeatThatCouldNotReachLivyMakesTheNextCellCheckTheSessionEvenAMomentLater() throws Exception {
        LivyBackend kernel = backend(false, Duration.ofSeconds(5), Duration.ofMillis(100));
        kernel.execute(cell("x = 1"), new RecordingOutput());
        long before = sessionLookups();
        livy.handle((request, exchange) -> {
            throw FakeLivy.dropConnection();
        });
        awaitTrue(() -> sessionLookups() >= before + 2 * LivyClientTest.FAST_RETRIES.maxAttempts(),
                "two heartbeats meet a server that is down");
        server.restart();
        LivySessionsFake.Session other = server.createOther("livy-kernel-bob-other");
        livy.handle(server);

        RecordingOutput out = new RecordingOutput();
        CellResult result = kernel.execute(cell("secret = 42"), out);

        assertEquals(List.of(), other.statements, "nothing ran in the other notebook's session");
        String said = shown(out) + (result instanceof CellResult.Error e ? e.evalue() : "");
        assertTrue(said.contains("is gone"), said);
    }

    private long sessionLookups() {
        return livy.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals("/sessions/0")).count();
    }

    @Test
    void everyCellChecksTheSessionOnceEvenInQuickSuccession() throws Exception {
        LivyBackend kernel = backend(false);
        kernel.execute(cell("x = 1"), new RecordingOutput());
        long lookups = livy.count("GET", "/sessions/0") - livy.count("GET", "/sessions/0/");

        kernel.execute(cell("x = 2"), new RecordingOutput());

        assertEquals(lookups + 1, livy.count("GET", "/sessions/0") - livy.count("GET", "/sessions/0/"),
                "a restart can fall between two quick cells: one GET /sessions/0 checks who the session is");
    }

    @Test
    void anInterruptDuringTheEagerStartEndsTheFirstCellAndDeletesTheHalfStartedSession() throws Exception {
        // Issue 11 item 9: livy.session.createAtStart, and a start that takes long.
        server.pollsToStart = -1;
        LivyBackend kernel = backend(true);
        kernel.warmUp();
        awaitTrue(() -> server.session(0) != null, "the eager start creates the session");
        RecordingOutput out = new RecordingOutput();
        AtomicReference<CellResult> result = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                result.set(kernel.execute(cell("1 + 1"), out));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        cell.start();
        awaitTrue(() -> !out.displays().isEmpty(),
                "the first cell shows the start under way");

        kernel.interrupt();
        cell.join(PATIENCE_MILLIS);

        assertFalse(cell.isAlive(), "the interrupt ends the cell");
        CellResult.Error error = assertInstanceOf(CellResult.Error.class, result.get());
        assertTrue(error.evalue().contains("start was interrupted") && error.evalue().contains("deleted"),
                error.evalue());
        awaitTrue(() -> server.sessions().isEmpty(), "the half-started session is deleted");
        assertEquals(1, livy.count("DELETE", "/sessions/0"));
    }

    @Test
    void theFirstCellJoinsTheEagerStartAndShowsIt() throws Exception {
        server.pollsToStart = 3;
        LivyBackend kernel = backend(true);
        kernel.warmUp();

        RecordingOutput out = new RecordingOutput();
        CellResult result = kernel.execute(cell("1 + 1"), out);

        assertInstanceOf(CellResult.Ok.class, result, shown(out));
        assertEquals(1, server.sessions().size(), "one session: the cell waited for the eager start");
        List<MimeBundle> displays = out.displays();
        assertFalse(displays.isEmpty(), "the start is shown in the first cell");
    }
}
