package io.livykernel.backend.local;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.livykernel.api.UserFacingException;
import io.livykernel.messages.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The child Python process that runs the local backend's cells ({@code agent.py}, an IPython shell) and the
 * pipes to it: requests go to its stdin and its messages come back on its stdout, one JSON object per line;
 * its stderr is its log. Every message answering a request (outputs, input_request, then the reply) is
 * routed to that request's {@link Exchange}.
 *
 * <p>It used to be a child ipykernel driven over ZeroMQ. Each cell then crossed two more ZeroMQ hops, with
 * signing, JeroMQ's I/O threads and ipykernel's own machinery, which made a Python cell's round trip 1.5-2x
 * ipykernel's; over pipes the child's side of a cell costs about a tenth of that. Pipes also keep the child
 * from outliving this JVM: it exits when its stdin closes, even after a SIGKILL here.
 */
final class PythonAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PythonAgent.class.getName());
    private static final String SOURCE = loadSource();
    /** How long a child asked to stop (its stdin closed) may take before it is terminated. */
    static final long STOP_GRACE_MILLIS = 1000;

    /** One message from the child: its type ("stream", "display_data", "execute_reply", ...) and content. */
    record AgentMessage(String type, JsonObject content) {
    }

    /** Tells an exchange that the child process is gone. */
    static final AgentMessage DIED = new AgentMessage("died", new JsonObject());

    /** The messages that answer one request, in arrival order. */
    final class Exchange implements AutoCloseable {
        private final String requestId;
        private final BlockingQueue<AgentMessage> inbox = new LinkedBlockingQueue<>();

        private Exchange(String requestId) {
            this.requestId = requestId;
        }

        /** The next message, or null after {@code timeoutMillis}. */
        AgentMessage next(long timeoutMillis) throws InterruptedException {
            return inbox.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        /** The reply, skipping everything else; null on timeout or when the child died. */
        AgentMessage awaitReply(long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                AgentMessage m = left <= 0 ? null : next(left);
                if (m == null || m == DIED) {
                    return null;
                }
                if (m.type().endsWith("_reply")) {
                    return m;
                }
            }
        }

        @Override
        public void close() {
            exchanges.remove(requestId, this);
        }
    }

    private final Process process;
    private final OutputStream requests;
    private final AtomicLong lastRequestId = new AtomicLong();
    private final Map<String, Exchange> exchanges = new ConcurrentHashMap<>();
    private final CompletableFuture<JsonObject> ready = new CompletableFuture<>();
    private final Deque<String> recentLog = new ArrayDeque<>();
    private volatile boolean gone;
    private Thread logReader;
    private volatile Consumer<AgentMessage> strayOutput = m -> { };

    private PythonAgent(Process process) {
        this.process = process;
        this.requests = process.getOutputStream();
    }

    /**
     * Starts the child and waits for its "ready" message, whose content says what it runs on (python,
     * ipython, and whether pyspark is importable).
     */
    static PythonAgent launch(String python, Duration startupTimeout) throws UserFacingException,
            InterruptedException {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(python, "-c", SOURCE);
            builder.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
            builder.environment().put("PYTHONUNBUFFERED", "1"); // its log lines reach ours as they are written
            process = builder.start();
        } catch (IOException e) {
            throw new UserFacingException("LocalPythonError", "Could not start the local Python with " + python
                    + ": " + e.getMessage(), e);
        }
        PythonAgent agent = new PythonAgent(process);
        agent.startReaders();
        agent.awaitReady(startupTimeout, python);
        return agent;
    }

    /** What the child said about itself when it started. */
    JsonObject facts() {
        return ready.getNow(new JsonObject());
    }

    private void startReaders() {
        daemon("local-python-messages", this::readMessages);
        logReader = daemon("local-python-log", this::readLog);
        process.onExit().thenRun(this::markGone);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void awaitReady(Duration timeout, String python) throws UserFacingException, InterruptedException {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new UserFacingException("LocalPythonError", "The local Python (" + python + ") did not start"
                    + " within " + timeout.toSeconds() + " s (local.startupTimeoutSeconds). Its last output:\n"
                    + lastOutput());
        } catch (ExecutionException e) {
            close();
            // The exit can be seen before its last words are read, and those say why (a missing module, ...).
            logReader.join(TimeUnit.SECONDS.toMillis(2));
            throw new UserFacingException("LocalPythonError", "The local Python (" + python + ") exited during"
                    + " start-up with code " + exitCode() + ". Its last output:\n" + lastOutput());
        }
    }

    /** Sends a request and opens the exchange that collects everything answering it. */
    Exchange send(String type, JsonObject content) {
        String id = Long.toString(lastRequestId.incrementAndGet());
        Exchange exchange = new Exchange(id);
        exchanges.put(id, exchange);
        JsonObject request = new JsonObject();
        request.addProperty("id", id);
        request.addProperty("type", type);
        request.add("content", content);
        if (gone || !write(request)) {
            exchange.inbox.add(DIED);
        }
        return exchange;
    }

    /**
     * Where output goes that arrives after its request was answered: what a background thread prints
     * while no cell runs, which ipykernel shows under the cell that ran last.
     */
    void relayStrayOutputTo(Consumer<AgentMessage> relay) {
        strayOutput = relay;
    }

    /** Answers the child's input_request. */
    void sendInputReply(String value) {
        JsonObject content = new JsonObject();
        content.addProperty("value", value);
        JsonObject reply = new JsonObject();
        reply.addProperty("type", "input_reply");
        reply.add("content", content);
        write(reply);
    }

    /** Raises KeyboardInterrupt in the cell the child is running, if any. */
    void interrupt() {
        JsonObject request = new JsonObject();
        request.addProperty("type", "interrupt");
        write(request);
    }

    private boolean write(JsonObject message) {
        byte[] line = (Json.toJson(message) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (requests) {
            try {
                requests.write(line);
                requests.flush();
                return true;
            } catch (IOException e) {
                return false; // the child is gone; its exchanges hear it from markGone
            }
        }
    }

    private void readMessages() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                route(line);
            }
        } catch (IOException e) {
            // the child closed its end
        }
        markGone();
    }

    /** Hands one line to the exchange it answers; a line that is not such a message is dropped, never fatal. */
    private void route(String line) {
        String type;
        JsonObject content;
        String parent;
        try {
            JsonObject message = Json.parseObject(line);
            type = Json.string(message, "type", "");
            content = Json.object(message, "content");
            parent = Json.string(message, "parent", "");
        } catch (JsonParseException | IllegalStateException e) {
            LOG.warning("dropped an unreadable message from the local Python (" + line.length() + " characters)");
            return;
        }
        if (type.equals("ready")) {
            ready.complete(content);
            return;
        }
        Exchange exchange = exchanges.get(parent);
        if (exchange != null) {
            exchange.inbox.add(new AgentMessage(type, content));
        } else if (!type.endsWith("_reply") && !type.equals("input_request")) {
            strayOutput.accept(new AgentMessage(type, content));
        }
    }

    private void markGone() {
        gone = true;
        ready.completeExceptionally(new IllegalStateException("exited"));
        exchanges.values().forEach(e -> e.inbox.add(DIED));
    }

    /** The child's stderr (its own log, never the user's output) goes to ours; the tail is kept for errors. */
    private void readLog() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String logged = line;
                LOG.fine(() -> "local python: " + logged);
                synchronized (recentLog) {
                    recentLog.addLast(line);
                    if (recentLog.size() > 20) {
                        recentLog.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    boolean isAlive() {
        return !gone && process.isAlive();
    }

    /** The exit code, waiting briefly for a child that is on its way out; -1 while it still runs. */
    int exitCode() {
        try {
            return process.waitFor(500, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Kills the child and the processes it started (a command it waits for would be orphaned otherwise). */
    void kill() {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroyForcibly();
        started.forEach(ProcessHandle::destroyForcibly);
    }

    String lastOutput() {
        synchronized (recentLog) {
            return String.join("\n", new ArrayList<>(recentLog));
        }
    }

    /**
     * Closes the child's stdin, which makes it exit at once, and reaps it. Waiting for the exit matters:
     * HotSpot's exit waits up to 300 ms for threads blocked in native calls, such as ours reading the
     * child's pipes, so a child still alive at that moment made every shutdown 300 ms slower. A child that
     * has not gone within {@link #STOP_GRACE_MILLIS} is terminated, then killed; the processes it started
     * are terminated.
     */
    @Override
    public void close() {
        // listed while the child lives: once it exits, what it started is orphaned and no longer listed here
        List<ProcessHandle> started = process.descendants().toList();
        synchronized (requests) {
            try {
                requests.close();
            } catch (IOException ignored) {
                // the child is gone already
            }
        }
        try {
            if (!process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        started.forEach(ProcessHandle::destroy); // as ipykernel does at shutdown: nothing a cell started lives on
    }

    private static String loadSource() {
        try (InputStream in = PythonAgent.class.getResourceAsStream("agent.py")) {
            if (in == null) {
                throw new IllegalStateException("agent.py is missing from the kernel's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read agent.py from the kernel's jar", e);
        }
    }
}
