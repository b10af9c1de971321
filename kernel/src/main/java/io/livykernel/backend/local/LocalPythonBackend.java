package io.livykernel.backend.local;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.Completeness;
import io.livykernel.api.Completion;
import io.livykernel.api.ErrorReporter;
import io.livykernel.api.Inspection;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.Backend;
import io.livykernel.config.KernelConfig;
import io.livykernel.messages.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The embedded local backend: cells run in a child Python with an IPython shell ({@link PythonAgent}) that
 * this kernel starts and drives over pipes. Its outputs are relayed as they come, input() is forwarded to
 * the frontend, and an interrupt raises KeyboardInterrupt in the running cell. If pyspark is importable there, a local[*]
 * SparkSession is created the first time a cell uses {@code spark} or {@code sc}.
 */
public final class LocalPythonBackend implements Backend {
    private static final Logger LOG = Logger.getLogger(LocalPythonBackend.class.getName());
    private static final Pattern USES_SPARK = Pattern.compile("\\b(spark|sc)\\b");
    private static final long INTERRUPT_GRACE_MILLIS = 5000;
    private static final String START_SPARK = String.join("\n",
            "from pyspark.sql import SparkSession as _LivyKernelSparkSession",
            "spark = _LivyKernelSparkSession.builder.master('local[*]').appName('livy-kernel-local').getOrCreate()",
            "sc = spark.sparkContext",
            "del _LivyKernelSparkSession");

    private final KernelConfig.LocalSettings settings;
    private final String notice;
    private final Object startLock = new Object();
    private CompletableFuture<PythonAgent> starting;
    private volatile PythonAgent child;
    private volatile PythonAgent.Exchange running;
    private volatile long interruptedAt;
    private String pythonDescription = "local Python (not started yet)";
    private boolean pysparkAvailable;
    private boolean sparkStarted;
    private boolean noticeShown;

    /**
     * @param primaryNotice text shown once in the first cell's output when this backend is the primary
     *                      one (why cells run locally); null when it only serves %%local.
     */
    public LocalPythonBackend(KernelConfig.LocalSettings settings, String primaryNotice) {
        this.settings = settings;
        this.notice = primaryNotice;
    }

    @Override
    public String description() {
        return pythonDescription;
    }

    @Override
    public void warmUp() {
        startChild();
    }

    /** Starts the child in the background once; later calls return the same future. */
    private CompletableFuture<PythonAgent> startChild() {
        synchronized (startLock) {
            if (starting == null || (starting.isDone() && (child == null || !child.isAlive()))) {
                starting = CompletableFuture.supplyAsync(() -> {
                    try {
                        String python = PythonLocator.locate(settings.python());
                        PythonAgent started = PythonAgent.launch(python, settings.startupTimeout());
                        describe(started.facts(), python);
                        child = started;
                        return started;
                    } catch (UserFacingException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
            }
            return starting;
        }
    }

    private PythonAgent awaitChild() throws InterruptedException, UserFacingException {
        try {
            return startChild().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            synchronized (startLock) {
                starting = null; // the next cell tries again
            }
            if (cause instanceof UserFacingException u) {
                throw u;
            }
            throw new UserFacingException("LocalPythonError", "The local Python kernel could not start: " + cause);
        }
    }

    private void describe(JsonObject facts, String python) {
        String version = Json.string(facts, "python", "");
        pysparkAvailable = Json.bool(facts, "pyspark", false);
        pythonDescription = "local Python " + (version.isEmpty() ? "" : version + " ") + "(" + python + ", IPython "
                + Json.string(facts, "ipython", "?") + ")";
    }

    @Override
    public CellResult execute(Cell cell, CellOutput out) throws InterruptedException {
        PythonAgent agent;
        try {
            agent = awaitChild();
        } catch (UserFacingException e) {
            return ErrorReporter.toCellError(e);
        }
        if (notice != null && !noticeShown && !cell.silent()) {
            noticeShown = true;
            String text = notice + "\nCells run on " + pythonDescription + "."
                    + (pysparkAvailable ? " pyspark is installed there: `spark` and `sc` (local[*]) are created"
                    + " on first use." : " pyspark is not installed there, so cells run as plain Python.");
            out.display(MimeBundle.text(text));
        }
        // Only code the user wrote starts Spark; silent cells (the kernel's own helper code) never do.
        if (pysparkAvailable && !sparkStarted && !cell.silent() && USES_SPARK.matcher(cell.code()).find()) {
            CellResult started = startSpark(agent, cell, out);
            if (started instanceof CellResult.Error) {
                return started;
            }
        }
        if (!cell.silent()) {
            agent.relayStrayOutputTo(m -> relay(m, out)); // from now on, late output shows under this cell
        }
        return run(agent, cell.code(), cell, out);
    }

    private CellResult startSpark(PythonAgent agent, Cell cell, CellOutput out) throws InterruptedException {
        out.stream(CellOutput.Stream.STDERR, "Starting a local Spark session (local[*]) as `spark` and `sc`...\n");
        CellResult result = run(agent, START_SPARK, new Cell(START_SPARK, true, false, false,
                cell.executionCount(), Map.of()), out);
        sparkStarted = result instanceof CellResult.Ok;
        return result;
    }

    /** Runs code in the child and relays everything it publishes until its reply, which comes last. */
    private CellResult run(PythonAgent agent, String code, Cell cell, CellOutput out) throws InterruptedException {
        JsonObject request = new JsonObject();
        request.addProperty("code", code);
        request.addProperty("silent", cell.silent());
        request.addProperty("store_history", cell.storeHistory());
        request.add("user_expressions", new JsonObject());
        request.addProperty("allow_stdin", cell.allowStdin());
        request.addProperty("stop_on_error", false);
        interruptedAt = 0;
        try (PythonAgent.Exchange exchange = agent.send("execute_request", request)) {
            running = exchange;
            PythonAgent.AgentMessage reply = null;
            while (reply == null) {
                PythonAgent.AgentMessage m = exchange.next(250);
                if (m == null) {
                    if (interruptedAt != 0 && System.currentTimeMillis() - interruptedAt > INTERRUPT_GRACE_MILLIS) {
                        agent.kill();
                    }
                    continue;
                }
                if (m == PythonAgent.DIED) {
                    return childDied(agent);
                }
                switch (m.type()) {
                    case "execute_reply" -> reply = m;
                    case "input_request" -> {
                        interruptedAt = 0; // a child asking for input is not stuck: a new interrupt may be sent
                        answerInput(agent, m, out);
                    }
                    default -> relay(m, out);
                }
            }
            return toResult(reply.content());
        } finally {
            running = null;
        }
    }

    private void answerInput(PythonAgent agent, PythonAgent.AgentMessage inputRequest, CellOutput out)
            throws InterruptedException {
        String value = "";
        try {
            value = out.input(Json.string(inputRequest.content(), "prompt", ""),
                    Json.bool(inputRequest.content(), "password", false));
        } catch (UserFacingException e) {
            out.stream(CellOutput.Stream.STDERR, e.getMessage() + "\n");
        } catch (InterruptedException e) {
            // The child raises KeyboardInterrupt inside input(). No answer goes with it: a later input() in the
            // same cell (one that catches the interrupt) would take it as its own.
            interrupt();
            return;
        }
        agent.sendInputReply(value);
    }

    private static void relay(PythonAgent.AgentMessage m, CellOutput out) {
        JsonObject c = m.content();
        switch (m.type()) {
            case "stream" -> out.stream("stderr".equals(Json.string(c, "name", "stdout"))
                    ? CellOutput.Stream.STDERR : CellOutput.Stream.STDOUT, Json.string(c, "text", ""));
            case "display_data" -> out.display(MimeBundle.fromJson(Json.object(c, "data")),
                    Json.object(c, "metadata"), displayId(c));
            case "update_display_data" -> {
                String id = displayId(c);
                if (id != null) {
                    out.updateDisplay(MimeBundle.fromJson(Json.object(c, "data")), Json.object(c, "metadata"), id);
                }
            }
            case "execute_result" -> out.result(MimeBundle.fromJson(Json.object(c, "data")), Json.object(c, "metadata"));
            case "clear_output" -> out.clearOutput(Json.bool(c, "wait", false));
            default -> {
                // nothing else is sent by the child
            }
        }
    }

    private static String displayId(JsonObject content) {
        return Json.string(Json.object(content, "transient"), "display_id", null);
    }

    private static CellResult toResult(JsonObject reply) {
        String status = Json.string(reply, "status", "error");
        if (status.equals("ok")) {
            List<JsonObject> payload = new ArrayList<>();
            JsonElement p = reply.get("payload");
            if (p != null && p.isJsonArray()) {
                p.getAsJsonArray().forEach(e -> {
                    if (e.isJsonObject()) {
                        payload.add(e.getAsJsonObject());
                    }
                });
            }
            return new CellResult.Ok(payload);
        }
        List<String> traceback = new ArrayList<>();
        JsonElement tb = reply.get("traceback");
        if (tb != null && tb.isJsonArray()) {
            tb.getAsJsonArray().forEach(line -> traceback.add(line.getAsString()));
        }
        return CellResult.error(Json.string(reply, "ename", "Error"), Json.string(reply, "evalue", ""), traceback);
    }

    private CellResult childDied(PythonAgent agent) {
        boolean killedByUs = interruptedAt != 0;
        forget(agent);
        return ErrorReporter.describe("LocalPythonDied", killedByUs
                ? "The local Python did not stop within " + INTERRUPT_GRACE_MILLIS / 1000 + " s of the interrupt,"
                + " so it was restarted. Its variables are lost; the next cell runs in a fresh Python."
                : "The local Python process exited (code " + agent.exitCode() + ") while running this cell. Its"
                + " variables are lost; the next cell starts a fresh one.\nLast output:\n" + agent.lastOutput());
    }

    private void forget(PythonAgent agent) {
        synchronized (startLock) {
            if (child == agent) {
                child = null;
                starting = null;
                sparkStarted = false;
            }
        }
        agent.close();
    }

    @Override
    public synchronized void interrupt() {
        PythonAgent agent = child;
        // Sent once: an interrupt during input() reaches here twice, from the thread whose input() it cancels and
        // from the kernel's, and a second SIGINT would hit the child while IPython shows the first one.
        if (agent != null && running != null && interruptedAt == 0) {
            interruptedAt = System.currentTimeMillis();
            agent.interrupt();
        }
    }

    @Override
    public Completion complete(String code, int cursorPos) {
        JsonObject request = new JsonObject();
        request.addProperty("code", code);
        request.addProperty("cursor_pos", cursorPos);
        JsonObject reply = askIdleChild("complete_request", request, 1000);
        if (reply == null) {
            return Completion.none(cursorPos);
        }
        List<String> matches = new ArrayList<>();
        JsonElement m = reply.get("matches");
        if (m != null && m.isJsonArray()) {
            m.getAsJsonArray().forEach(e -> matches.add(e.getAsString()));
        }
        return new Completion(matches, Json.integer(reply, "cursor_start", cursorPos),
                Json.integer(reply, "cursor_end", cursorPos));
    }

    @Override
    public Inspection inspect(String code, int cursorPos, int detailLevel) {
        JsonObject request = new JsonObject();
        request.addProperty("code", code);
        request.addProperty("cursor_pos", cursorPos);
        request.addProperty("detail_level", detailLevel);
        JsonObject reply = askIdleChild("inspect_request", request, 2000);
        if (reply == null || !Json.bool(reply, "found", false)) {
            return Inspection.notFound();
        }
        return new Inspection(MimeBundle.fromJson(Json.object(reply, "data")));
    }

    @Override
    public Completeness isComplete(String code) {
        JsonObject request = new JsonObject();
        request.addProperty("code", code);
        JsonObject reply = askIdleChild("is_complete_request", request, 500);
        if (reply == null) {
            return null;
        }
        return switch (Json.string(reply, "status", "unknown")) {
            case "complete" -> Completeness.complete();
            case "incomplete" -> Completeness.incomplete(Json.string(reply, "indent", ""));
            case "invalid" -> Completeness.invalid();
            default -> null;
        };
    }

    @Override
    public Map<String, JsonObject> evaluate(Map<String, String> expressions) {
        PythonAgent agent = child;
        if (agent == null) {
            return Map.of();
        }
        try {
            return evaluateOn(agent, expressions, 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    private static Map<String, JsonObject> evaluateOn(PythonAgent agent, Map<String, String> expressions,
                                                      long timeoutMillis) throws InterruptedException {
        JsonObject request = new JsonObject();
        request.addProperty("code", "");
        request.addProperty("silent", true);
        request.addProperty("store_history", false);
        JsonObject exprs = new JsonObject();
        expressions.forEach(exprs::addProperty);
        request.add("user_expressions", exprs);
        request.addProperty("allow_stdin", false);
        try (PythonAgent.Exchange exchange = agent.send("execute_request", request)) {
            PythonAgent.AgentMessage reply = exchange.awaitReply(timeoutMillis);
            Map<String, JsonObject> values = new LinkedHashMap<>();
            if (reply != null) {
                Json.object(reply.content(), "user_expressions").entrySet().forEach(e -> {
                    if (e.getValue().isJsonObject()) {
                        values.put(e.getKey(), e.getValue().getAsJsonObject());
                    }
                });
            }
            return values;
        }
    }

    /** Asks the child a quick question, but only when it is not running a cell (it would answer late). */
    private JsonObject askIdleChild(String type, JsonObject request, long timeoutMillis) {
        PythonAgent agent = child;
        if (agent == null || running != null) {
            return null;
        }
        try (PythonAgent.Exchange exchange = agent.send(type, request)) {
            PythonAgent.AgentMessage reply = exchange.awaitReply(timeoutMillis);
            return reply == null ? null : reply.content();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public boolean understandsIPythonMagics() {
        return true;
    }

    @Override
    public void close() {
        CompletableFuture<PythonAgent> pending;
        synchronized (startLock) {
            pending = starting;
        }
        if (pending == null) {
            return;
        }
        try {
            // A child still starting is waited for briefly, so that it is shut down rather than orphaned.
            PythonAgent agent = pending.get(500, TimeUnit.MILLISECONDS);
            agent.close();
        } catch (TimeoutException e) {
            pending.thenAccept(PythonAgent::close);
            LOG.info("local Python was still starting at shutdown; it exits when this JVM does");
        } catch (ExecutionException e) {
            // it never started
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
