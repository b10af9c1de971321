package io.livykernel.magic;

import static io.livykernel.magic.FakeKernel.cell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.execution.CellResult;
import java.net.ServerSocket;
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

    @Test
    void aMisspeltNameIsOfferedTheMagic() throws Exception {
        String message = error("%%analyse").evalue();
        assertTrue(message.contains("Did you mean %analyze?"), message);
    }
}
