package io.livykernel.execution;

import static io.livykernel.execution.KernelServerHarness.status;
import static io.livykernel.execution.KernelServerHarness.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.messages.Message;
import io.livykernel.protocol.Channel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Jupyter server of the kernel, driven in-process by a JeroMQ frontend, with a stub backend. */
class KernelServerTest extends KernelServerTestBase {

    @Test
    void aCellIsBusyThenShowsItsInputAndOutputThenIdleAndIsAnswered() throws Exception {
        String id = kernel.execute("print hello");
        Message reply = kernel.reply(id);
        List<Message> iopub = kernel.iopubUntilIdle(id);

        assertEquals("ok", status(reply));
        assertEquals(1, reply.content().get("execution_count").getAsInt());
        assertEquals(List.of("status:busy", "execute_input", "stream", "status:idle"), types(iopub));
        assertEquals("hello", iopub.get(2).content().get("text").getAsString());
    }

    @Test
    void cellsRunInTheOrderTheyWereSentAndAreNumberedSo() throws Exception {
        List<String> ids = List.of("print 1", "print 2", "print 3", "print 4", "print 5").stream()
                .map(kernel::execute).toList();
        for (int i = 0; i < ids.size(); i++) {
            Message reply = kernel.reply(ids.get(i));
            assertEquals("ok", status(reply));
            assertEquals(i + 1, reply.content().get("execution_count").getAsInt());
        }
        assertEquals(List.of("print 1", "print 2", "print 3", "print 4", "print 5"), kernel.backend.ran);
    }

    @Test
    void anErrorAbortsTheCellsQueuedBehindItButNotTheNextOneSent() throws Exception {
        String gated = kernel.execute("gate");
        String failing = kernel.execute("fail");
        String queued1 = kernel.execute("print never");
        String queued2 = kernel.execute("print never either");
        // shell is read in order: once this is answered, the four requests above are queued in the kernel
        kernel.reply(kernel.send(Channel.SHELL, "kernel_info_request", new JsonObject()));
        kernel.backend.gate.countDown();

        assertEquals("ok", status(kernel.reply(gated)));
        assertEquals("error", status(kernel.reply(failing)));
        assertEquals("aborted", status(kernel.reply(queued1)));
        assertEquals("aborted", status(kernel.reply(queued2)));
        assertEquals(List.of("status:busy", "status:idle"), types(kernel.iopubUntilIdle(queued2)));
        String after = kernel.execute("print after");
        assertEquals("ok", status(kernel.reply(after)));
        assertEquals(List.of("gate", "fail", "print after"), kernel.backend.ran);
    }

    @Test
    void withoutStopOnErrorTheQueuedCellsStillRun() throws Exception {
        String failing = kernel.execute("fail", false);
        String next = kernel.execute("print next");
        assertEquals("error", status(kernel.reply(failing)));
        assertEquals("ok", status(kernel.reply(next)));
    }

    @Test
    void anInterruptRequestOnControlStopsTheRunningCell() throws Exception {
        String blocked = kernel.execute("block");
        kernel.backend.awaitRunning();
        Message interrupt = kernel.reply(kernel.send(Channel.CONTROL, "interrupt_request", new JsonObject()));
        Message reply = kernel.reply(blocked);

        assertEquals("ok", status(interrupt));
        assertEquals("error", status(reply));
        assertEquals("KeyboardInterrupt", reply.content().get("ename").getAsString());
        assertEquals("ok", status(kernel.reply(kernel.execute("print still serving"))));
    }

    @Test
    void completionIsAnsweredWhileACellRuns() throws Exception {
        String gated = kernel.execute("gate");
        kernel.backend.awaitRunning();
        JsonObject c = new JsonObject();
        c.addProperty("code", "pri");
        c.addProperty("cursor_pos", 3);
        assertEquals("ok", status(kernel.reply(kernel.send(Channel.SHELL, "complete_request", c))));
        kernel.backend.gate.countDown();
        assertEquals("ok", status(kernel.reply(gated)));
    }

    @Test
    void aShutdownRequestIsAnsweredThenTheKernelStopsAndClosesItsBackend() throws Exception {
        JsonObject c = new JsonObject();
        c.addProperty("restart", false);
        Message reply = kernel.reply(kernel.send(Channel.CONTROL, "shutdown_request", c));

        assertEquals("shutdown_reply", reply.msgType());
        assertTrue(kernel.backend.closed.await(KernelServerHarness.WAIT_SECONDS, TimeUnit.SECONDS));
        kernel.server.awaitStop();
    }
}
