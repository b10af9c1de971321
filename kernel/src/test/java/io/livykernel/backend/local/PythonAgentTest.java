package io.livykernel.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.local.PythonAgent.AgentMessage;
import io.livykernel.backend.local.PythonAgent.Exchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipe protocol to the local backend's child Python, inside the JVM: what a cell sends arrives in order
 * and before its reply, a child that dies or cannot start says so, an interrupt stops only the cell, and
 * closing leaves nothing running. The same behaviour through a real Jupyter client is in
 * tests/integration/test_local_python.py; these run in seconds. They need a Python with IPython (Debian's
 * python3-ipython, installed by bin/setup-debian) and are skipped without one.
 */
class PythonAgentTest {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final long WAIT_MILLIS = 30_000;
    private static String python;

    @TempDir
    Path dir;
    private PythonAgent agent;

    @BeforeAll
    static void findPython() throws InterruptedException {
        try {
            python = PythonLocator.locate(null);
        } catch (UserFacingException e) {
            python = null;
        }
        assumeTrue(python != null, "no Python with IPython on this machine");
    }

    @AfterEach
    void closeAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aCellsOutputsArriveInOrderBeforeItsReply() throws Exception {
        agent = PythonAgent.launch(python, STARTUP);
        assertTrue(agent.facts().has("ipython"), "the ready message says what the child runs: " + agent.facts());

        List<AgentMessage> messages = execute("import sys\nprint('out')\nprint('err', file=sys.stderr)\n6 * 7");

        assertEquals(List.of("stream", "stream", "execute_result", "execute_reply"), types(messages));
        assertEquals("out\n", messages.get(0).content().get("text").getAsString());
        assertEquals("stderr", messages.get(1).content().get("name").getAsString());
        assertEquals("42", messages.get(2).content().getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals("ok", status(messages));
    }

    @Test
    void variablesLiveOnBetweenCellsAndAnErrorIsReportedAsOne() throws Exception {
        agent = PythonAgent.launch(python, STARTUP);
        execute("kept = 'still here'");

        List<AgentMessage> failed = execute("1 / 0");
        JsonObject reply = failed.get(failed.size() - 1).content();
        assertEquals("error", reply.get("status").getAsString());
        assertEquals("ZeroDivisionError", reply.get("ename").getAsString());

        List<AgentMessage> after = execute("kept");
        assertEquals("'still here'", after.get(0).content().getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void aChildThatDiesInACellEndsTheCellAndTellsItsExitCode() throws Exception {
        agent = PythonAgent.launch(python, STARTUP);
        try (Exchange exchange = agent.send("execute_request", code("import os\nos._exit(3)"))) {
            assertNull(exchange.awaitReply(WAIT_MILLIS), "no reply comes from a dead child");
        }
        assertFalse(agent.isAlive());
        assertEquals(3, agent.exitCode());
        try (Exchange exchange = agent.send("execute_request", code("1"))) {
            assertEquals(PythonAgent.DIED, exchange.next(WAIT_MILLIS), "a request to a dead child ends at once");
        }
    }

    @Test
    void anInterruptStopsTheRunningCellAndTheChildGoesOn() throws Exception {
        agent = PythonAgent.launch(python, STARTUP);
        try (Exchange exchange = agent.send("execute_request",
                code("import time\nprint('started', flush=True)\ntime.sleep(60)"))) {
            AgentMessage first = exchange.next(WAIT_MILLIS);
            assertNotNull(first);
            assertEquals("started\n", first.content().get("text").getAsString());
            agent.interrupt();
            AgentMessage reply = exchange.awaitReply(WAIT_MILLIS);
            assertNotNull(reply, "the interrupted cell is answered");
            assertEquals("KeyboardInterrupt", reply.content().get("ename").getAsString());
        }
        assertEquals("ok", status(execute("'alive'")));
    }

    @Test
    void whatABackgroundThreadPrintsAfterItsCellGoesToTheRelay() throws Exception {
        agent = PythonAgent.launch(python, STARTUP);
        BlockingQueue<AgentMessage> relayed = new LinkedBlockingQueue<>();
        agent.relayStrayOutputTo(relayed::add);

        execute("import threading, time\n"
                + "threading.Thread(target=lambda: (time.sleep(0.3), print('late', flush=True))).start()");

        AgentMessage late = relayed.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertNotNull(late, "the thread's line is not lost");
        assertEquals("late\n", late.content().get("text").getAsString());
    }

    @Test
    void closingEndsTheChildAndWhatItsCellsStarted() throws Exception {
        agent = PythonAgent.launch(python, STARTUP);
        List<AgentMessage> messages = execute("import subprocess\nsubprocess.Popen(['sleep', '600']).pid");
        long sleeper = Long.parseLong(messages.get(0).content().getAsJsonObject("data").get("text/plain")
                .getAsString());
        assertTrue(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false));

        agent.close();

        assertFalse(agent.isAlive());
        assertTrue(gone(sleeper), "the process a cell started is ended with the child");
    }

    @Test
    void aPythonThatCannotBeStartedIsAClearError() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> PythonAgent.launch(dir.resolve("no-such-python").toString(), STARTUP));
        assertTrue(e.getMessage().startsWith("Could not start the local Python with "), e.getMessage());
    }

    @Test
    void aPythonThatExitsDuringStartUpShowsItsExitCodeAndLastOutput() throws Exception {
        String broken = script("echo 'ModuleNotFoundError: No module named IPython' >&2\nexit 7");
        UserFacingException e = assertThrows(UserFacingException.class, () -> PythonAgent.launch(broken, STARTUP));
        assertTrue(e.getMessage().contains("exited during start-up with code 7"), e.getMessage());
        assertTrue(e.getMessage().contains("No module named IPython"), e.getMessage());
    }

    @Test
    void aPythonThatNeverSaysReadyIsStoppedAfterTheStartUpTimeout() throws Exception {
        String silent = script("echo 'loading...' >&2\nexec sleep 600");
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> PythonAgent.launch(silent, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("did not start within 1 s (local.startupTimeoutSeconds)"), e.getMessage());
        assertTrue(e.getMessage().contains("loading..."), e.getMessage());
    }

    private List<AgentMessage> execute(String source) throws InterruptedException {
        List<AgentMessage> messages = new ArrayList<>();
        try (Exchange exchange = agent.send("execute_request", code(source))) {
            while (true) {
                AgentMessage message = exchange.next(WAIT_MILLIS);
                assertNotNull(message, "the cell was answered: " + messages);
                assertTrue(message != PythonAgent.DIED, "the child died: " + agent.lastOutput());
                messages.add(message);
                if (message.type().endsWith("_reply")) {
                    return messages;
                }
            }
        }
    }

    private static JsonObject code(String source) {
        JsonObject content = new JsonObject();
        content.addProperty("code", source);
        return content;
    }

    private static List<String> types(List<AgentMessage> messages) {
        return messages.stream().map(AgentMessage::type).toList();
    }

    private static String status(List<AgentMessage> messages) {
        return messages.get(messages.size() - 1).content().get("status").getAsString();
    }

    /** A stand-in for the Python executable: a shell script that ignores the arguments it is given. */
    private String script(String body) throws IOException {
        Path file = dir.resolve("python-" + System.nanoTime());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file.toString();
    }

    /** Ended but not yet reaped: an orphan waits for whatever init this machine has to reap it. */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException e) {
            return true; // no such process any more
        }
    }

    private static boolean gone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true) || zombie(pid)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
