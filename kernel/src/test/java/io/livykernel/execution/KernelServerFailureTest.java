package io.livykernel.execution;

import static io.livykernel.execution.KernelServerHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.messages.Message;
import io.livykernel.protocol.Channel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever a cell or a request throws, Errors included, is answered and the kernel keeps serving. */
class KernelServerFailureTest extends KernelServerTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"StackOverflowError", "OutOfMemoryError", "AssertionError", "LinkageError",
            "IllegalStateException"})
    void aThrowableFromACellIsAnErrorReplyThatNamesItAndTheNextCellRuns(String thrown) throws Exception {
        Message reply = kernel.reply(kernel.execute("throw " + thrown));

        assertEquals("error", status(reply));
        String evalue = reply.content().get("evalue").getAsString();
        assertTrue(evalue.contains(thrown.equals("LinkageError") ? "NoClassDefFoundError" : thrown), evalue);
        assertTrue(evalue.contains("still running"), evalue);
        assertEquals("ok", status(kernel.reply(kernel.execute("print next"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHELL", "CONTROL"})
    void aThrowableWhileServingAShellRequestIsAnErrorReplyAndTheLaneKeepsServing(Channel channel) throws Exception {
        JsonObject c = new JsonObject();
        c.addProperty("code", "throw StackOverflowError");
        c.addProperty("cursor_pos", 3);
        Message reply = kernel.reply(kernel.send(channel, "complete_request", c));

        assertEquals("error", status(reply));
        assertTrue(reply.content().get("evalue").getAsString().contains("StackOverflowError"));
        c.addProperty("code", "pri");
        assertEquals("ok", status(kernel.reply(kernel.send(channel, "complete_request", c))));
    }

    @Test
    void aSecondOutOfMemoryErrorSaysTheKernelExitsAndStopsItReleasingTheBackend() throws Exception {
        assertEquals("InternalError", kernel.reply(kernel.execute("throw OutOfMemoryError")).content()
                .get("ename").getAsString());
        Message second = kernel.reply(kernel.execute("throw OutOfMemoryError"));

        assertEquals("KernelExiting", second.content().get("ename").getAsString());
        assertEquals(StopReason.JVM_UNUSABLE, kernel.server.awaitStop());
        assertTrue(kernel.backend.closed.await(KernelServerHarness.WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void whenTheSocketThreadDiesTheKernelStopsInsteadOfLookingAlive() throws Exception {
        kernel.server.onTransportFailure(new OutOfMemoryError("Java heap space"), true);

        assertEquals(StopReason.TRANSPORT_FAILED, kernel.server.awaitStop());
        assertTrue(kernel.backend.closed.await(KernelServerHarness.WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aThreadThatDiesIsLoggedWithItsName() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger(KernelServer.class.getName()).addHandler(capture);
        try {
            Thread dying = new Thread(() -> {
                throw new AssertionError("unexpected");
            }, "some-worker");
            dying.setUncaughtExceptionHandler(kernel.server.uncaughtExceptionHandler());
            dying.start();
            dying.join();
        } finally {
            Logger.getLogger(KernelServer.class.getName()).removeHandler(capture);
        }
        assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.SEVERE
                && r.getMessage().contains("some-worker") && r.getThrown() instanceof AssertionError), "" + records);
        assertEquals("ok", status(kernel.reply(kernel.execute("print still serving"))));
    }
}
