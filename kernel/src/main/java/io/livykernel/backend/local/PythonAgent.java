package io.livykernel.backend.local;

import com.google.gson.JsonObject;
import io.livykernel.api.UserFacingException;
import io.livykernel.messages.Header;
import io.livykernel.messages.Json;
import io.livykernel.messages.Message;
import io.livykernel.messages.MessageFactory;
import io.livykernel.protocol.Channel;
import io.livykernel.protocol.ClientTransport;
import io.livykernel.protocol.ConnectionInfo;
import io.livykernel.protocol.MalformedMessageException;
import io.livykernel.protocol.MessageHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A child ipykernel process and our client connection to it. Every message the child sends in answer to
 * one of our requests (shell reply, iopub output, stdin input_request) is routed to that request's
 * {@link Exchange}. The child watches a pipe from this JVM and exits when it closes, so it never
 * outlives us, even after a SIGKILL.
 */
final class ChildKernel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChildKernel.class.getName());

    /** Exits the child when our end of its stdin closes (the JVM died), then runs ipykernel. */
    private static final String BOOTSTRAP = String.join("\n",
            "import os, threading",
            "def _exit_with_parent(fd=os.dup(0)):",
            "    try:",
            "        while os.read(fd, 4096):",
            "            pass",
            "    finally:",
            "        os._exit(0)",
            "threading.Thread(target=_exit_with_parent, name='exit-with-parent', daemon=True).start()",
            "from ipykernel import kernelapp",
            "kernelapp.launch_new_instance()");

    /**
     * ipykernel sleeps 0.5 ms before each execute_reply so that a client reading shell and iopub separately
     * tends to see the outputs first; on a busy machine that sleep costs a whole scheduling slice. We never
     * need it: a cell ends here only when both its reply and its iopub idle (sent after every output) arrived.
     */
    private static final String NO_EXECUTE_SLEEP = "--IPythonKernel._execute_sleep=0";
    private static final long RECONNECT_AFTER_SECONDS = 4;
    /** How long a child asked to shut down (its stdin closed) may take before it is terminated. */
    static final long STOP_GRACE_MILLIS = 1000;

    /** A message that tells an exchange the child process is gone. */
    static final Message DIED = new Message(List.of(), new Header("died", "", "", "", "died", ""),
            new JsonObject(), new JsonObject(), new JsonObject(), List.of());

    /** The messages that answer one request, in arrival order. */
    final class Exchange implements AutoCloseable {
        private final String msgId;
        private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();

        private Exchange(String msgId) {
            this.msgId = msgId;
        }

        String msgId() {
            return msgId;
        }

        /** The next message, or null after {@code timeoutMillis}. */
        Message next(long timeoutMillis) throws InterruptedException {
            return inbox.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        /** The shell reply, skipping everything else; null on timeout or when the child died. */
        Message awaitReply(long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                Message m = left <= 0 ? null : next(left);
                if (m == null || m == DIED) {
                    return null;
                }
                if (m.msgType().endsWith("_reply")) {
                    return m;
                }
            }
        }

        @Override
        public void close() {
            exchanges.remove(msgId, this);
        }
    }

    private final Process process;
    private final ConnectionInfo info;
    private volatile ClientTransport transport;
    private final MessageFactory messages = new MessageFactory(UUID.randomUUID().toString(), "livy-kernel");
    private final Map<String, Exchange> exchanges = new ConcurrentHashMap<>();
    private final Deque<String> recentOutput = new ArrayDeque<>();
    private final Path connectionFile;

    private ChildKernel(Process process, ConnectionInfo info, Path connectionFile) {
        this.process = process;
        this.info = info;
        this.connectionFile = connectionFile;
    }

    static ChildKernel launch(String python, Duration startupTimeout) throws UserFacingException, InterruptedException {
        ConnectionInfo info;
        Path connectionFile;
        Process process;
        try {
            info = ConnectionInfo.onFreeLoopbackPorts("hmac-sha256", HexFormat.of().formatHex(randomBytes()));
            connectionFile = Files.createTempFile("livy-kernel-child-", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(connectionFile, Json.toJson(info.toJson()), StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(python, "-c", BOOTSTRAP, "-f", connectionFile.toString(),
                    NO_EXECUTE_SLEEP).redirectErrorStream(true);
            builder.environment().put("JPY_PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
            builder.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
            process = builder.start();
        } catch (IOException e) {
            throw new UserFacingException("LocalPythonError", "Could not start the local Python kernel with "
                    + python + ": " + e.getMessage(), e);
        }
        ChildKernel child = new ChildKernel(process, info, connectionFile);
        child.start();
        child.awaitReady(startupTimeout, python);
        return child;
    }

    private void start() {
        Thread output = new Thread(this::relayOutput, "child-output");
        output.setDaemon(true);
        output.start();
        process.onExit().thenRun(() -> exchanges.values().forEach(e -> e.inbox.add(DIED)));
        connect();
    }

    /**
     * Opens a fresh client connection. JeroMQ's connecting sockets now and then stall in the ZeroMQ
     * handshake (seen in a few percent of connects on loopback), so start-up reconnects when the child
     * stays silent or one of the connections has not finished its handshake.
     */
    private void connect() {
        ClientTransport fresh = new ClientTransport(info, UUID.randomUUID().toString());
        fresh.start(new MessageHandler() {
            @Override
            public void onMessage(Channel channel, Message message) {
                String parent = message.parentMsgId();
                Exchange exchange = parent == null || nobodyReads(message) ? null : exchanges.get(parent);
                if (exchange != null) {
                    exchange.inbox.add(message);
                }
            }

            @Override
            public void onMalformed(Channel channel, MalformedMessageException problem) {
                LOG.warning("dropped a message from the local Python kernel: " + problem.getMessage());
            }
        });
        ClientTransport old = transport;
        transport = fresh;
        if (old != null) {
            old.close();
        }
    }

    /** Like jupyter_client: ask kernel_info until the reply and its iopub status both arrive. */
    private void awaitReady(Duration timeout, String python) throws UserFacingException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long reconnectAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(RECONNECT_AFTER_SECONDS);
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() > reconnectAt) {
                LOG.info("the local Python kernel has not answered on every channel yet; reconnecting");
                connect();
                reconnectAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(RECONNECT_AFTER_SECONDS);
            }
            if (!process.isAlive()) {
                close();
                throw new UserFacingException("LocalPythonError", "The local Python kernel (" + python
                        + ") exited during start-up with code " + process.exitValue() + ". Its last output:\n"
                        + lastOutput());
            }
            try (Exchange probe = send(Channel.SHELL, "kernel_info_request", new JsonObject())) {
                boolean replied = false;
                boolean statusSeen = false;
                long probeEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                while (!(replied && statusSeen) && System.nanoTime() < probeEnd) {
                    Message m = probe.next(50);
                    if (m == null || m == DIED) {
                        continue;
                    }
                    replied |= m.msgType().equals("kernel_info_reply");
                    statusSeen |= m.msgType().equals("status");
                }
                // input_request and interrupts travel on stdin and control: a stalled handshake there
                // would lose them silently, so those connections must be up as well
                if (replied && statusSeen && transport.awaitHandshakes(500)) {
                    forgetConnectionFile();
                    return;
                }
            }
        }
        close();
        throw new UserFacingException("LocalPythonError", "The local Python kernel (" + python
                + ") did not answer within " + timeout.toSeconds() + " s (local.startupTimeoutSeconds). Its last"
                + " output:\n" + lastOutput());
    }

    /** Sends a request and opens the exchange that collects everything answering it. */
    Exchange send(Channel channel, String msgType, JsonObject content) {
        Message request = messages.request(List.of(), new JsonObject(), msgType, content);
        Exchange exchange = new Exchange(request.msgId());
        exchanges.put(request.msgId(), exchange);
        if (!process.isAlive()) {
            exchange.inbox.add(DIED);
        }
        transport.send(channel, request);
        return exchange;
    }

    /** Answers the child's input_request. */
    void sendInputReply(Message inputRequest, String value) {
        JsonObject content = new JsonObject();
        content.addProperty("value", value);
        transport.send(Channel.STDIN, messages.request(List.of(), inputRequest.header().toJson(), "input_reply",
                content));
    }

    void interrupt() {
        transport.send(Channel.CONTROL, messages.request(List.of(), new JsonObject(), "interrupt_request",
                new JsonObject()));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    void kill() {
        process.destroyForcibly();
    }

    String lastOutput() {
        synchronized (recentOutput) {
            return String.join("\n", new ArrayList<>(recentOutput));
        }
    }

    /** The child's own stdout/stderr (ipykernel's log) goes to our log; the tail is kept for error messages. */
    private void relayOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String logged = line;
                LOG.fine(() -> "local python: " + logged);
                synchronized (recentOutput) {
                    recentOutput.addLast(line);
                    if (recentOutput.size() > 20) {
                        recentOutput.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /**
     * Closes the child's stdin, which makes it exit at once (see BOOTSTRAP), closes our connection to it
     * meanwhile, and reaps it. ipykernel's own wind-down after a shutdown_request takes a quarter of a
     * second or more, and nothing here needs it: the child used to be cut short the same way when this JVM
     * exited. Waiting for the exit matters: HotSpot's exit waits up to 300 ms for threads blocked in native
     * calls, such as ours reading the child's output pipe, so a child still alive at that moment made every
     * shutdown 300 ms slower. A child that has not gone within {@link #STOP_GRACE_MILLIS} is terminated,
     * then killed.
     */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child is gone already
        }
        transport.close();
        forgetConnectionFile();
        try {
            if (!process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                terminate();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The child's busy status and its echo of the code: nothing waits for them, and handing them over would
     * wake the cell's thread twice per cell for nothing.
     */
    private static boolean nobodyReads(Message message) {
        return message.msgType().equals("execute_input") || message.msgType().equals("status")
                && "busy".equals(Json.string(message.content(), "execution_state", ""));
    }

    /** The child has read its connection file by the time it answers; the file holds the signing key. */
    private void forgetConnectionFile() {
        try {
            Files.deleteIfExists(connectionFile);
        } catch (IOException ignored) {
            // a temp file; nothing else to do
        }
    }

    private void terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
    }

    private static byte[] randomBytes() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
