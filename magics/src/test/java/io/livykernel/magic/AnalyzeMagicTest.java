package io.livykernel.magic;

import static io.livykernel.magic.FakeKernel.cell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.api.CellResult;
import io.livykernel.backend.Backend;
import io.livykernel.config.KernelConfig;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.extension.SessionSummary;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalyzeMagicTest {
    private final MagicDispatcher dispatcher = new MagicDispatcher();
    private final FakeKernel kernel = FakeKernel.withRemotePrimary();
    private final FakeKernel.RecordingOutput out = new FakeKernel.RecordingOutput();

    private CellResult.Error error(String code) throws InterruptedException {
        return assertInstanceOf(CellResult.Error.class, dispatcher.execute(cell(code), out, kernel));
    }

    @Test
    void thisSessionsApplicationNeedsLivyAndSaysWhatToDoInstead() throws Exception {
        CellResult.Error e = error("%%analyze");
        assertEquals("NeedsLivy", e.ename());
        assertTrue(e.evalue().contains("-a APP_ID"), e.evalue());
    }

    @Test
    void anotherApplicationNeedsAHistoryServer() throws Exception {
        CellResult.Error e = error("%%analyze -a application_1_0001");
        assertEquals("UsageError", e.ename());
        assertTrue(e.evalue().contains("-u URL") && e.evalue().contains("analyze.historyServerUrl"), e.evalue());
    }

    @Test
    void anUnreachableServerIsOneClearError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CellResult.Error e = error("%%analyze -a application_1_0001 -u http://127.0.0.1:" + port);
        assertEquals("SparkUiUnreachable", e.ename());
        assertTrue(e.evalue().contains("cannot reach http://127.0.0.1:" + port), e.evalue());
        assertTrue(out.displays.isEmpty());
    }

    /** A kernel on a local-mode Livy: its session has no application id or UI address; the driver answers. */
    private static KernelContext localModeLivy(String driverPrints, List<String> asked) {
        RemoteSessions remote = (RemoteSessions) Proxy.newProxyInstance(RemoteSessions.class.getClassLoader(),
                new Class<?>[] {RemoteSessions.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "current" -> new SessionSummary("0", "livy-kernel-alice-k-1a2b", null, "pyspark", "idle",
                            null, "alice", null, null);
                    case "evaluateQuietly" -> {
                        asked.add((String) args[0]);
                        yield driverPrints;
                    }
                    case "otherServices" -> null;
                    default -> throw new AssertionError("%%analyze does not call " + method.getName());
                });
        FakeKernel fake = FakeKernel.withRemotePrimary();
        return new KernelContext() {
            @Override
            public Backend primaryBackend() {
                return fake.primaryBackend();
            }

            @Override
            public Backend localBackend() {
                return fake.localBackend();
            }

            @Override
            public KernelConfig config() {
                return fake.config();
            }

            @Override
            public Optional<RemoteSessions> remote() {
                return Optional.of(remote);
            }
        };
    }

    @Test
    void inLocalModeTheDriverIsAskedForItsUiAddressInsteadOfWaitingForLivy() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> asked = new ArrayList<>();
        KernelContext livy = localModeLivy("{\"master\": \"local[2]\", \"appId\": \"local-1796404865396\","
                + " \"ui\": \"http://127.0.0.1:" + port + "\"}", asked);
        CellResult.Error e = assertInstanceOf(CellResult.Error.class, dispatcher.execute(cell("%%analyze"), out, livy));
        assertEquals(1, asked.size());
        assertTrue(asked.get(0).contains("sc.uiWebUrl"), asked.get(0));
        assertEquals("SparkUiUnreachable", e.ename());   // nothing serves that address here
        assertTrue(e.evalue().contains("local-1796404865396") && e.evalue().contains("http://127.0.0.1:" + port)
                && e.evalue().contains("local mode (local[2])"), e.evalue());
        assertFalse(e.evalue().contains("try again in a moment") || e.evalue().contains("YARN"), e.evalue());
    }

    @Test
    void aLocalModeDriverWithoutAUiIsSaidPlainly() throws Exception {
        KernelContext livy = localModeLivy("{\"master\": \"local[*]\", \"appId\": \"local-1\", \"ui\": null}",
                new ArrayList<>());
        CellResult.Error e = assertInstanceOf(CellResult.Error.class, dispatcher.execute(cell("%%analyze"), out, livy));
        assertEquals("NoSparkUi", e.ename());
        assertTrue(e.evalue().contains("local mode") && e.evalue().contains("no UI address"), e.evalue());
        assertFalse(e.evalue().contains("try again in a moment"), e.evalue());
    }

    @Test
    void aMisspeltNameIsOfferedTheMagic() throws Exception {
        String message = error("%%analyse").evalue();
        assertTrue(message.contains("Did you mean %analyze?"), message);
    }
}
