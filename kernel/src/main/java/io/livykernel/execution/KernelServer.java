package io.livykernel.execution;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.livykernel.api.CellResult;
import io.livykernel.api.Completeness;
import io.livykernel.api.Completion;
import io.livykernel.api.ErrorReporter;
import io.livykernel.api.Inspection;
import io.livykernel.backend.Backend;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.MagicSupport;
import io.livykernel.logging.RateLimitedLog;
import io.livykernel.messages.Json;
import io.livykernel.messages.Message;
import io.livykernel.messages.MessageFactory;
import io.livykernel.protocol.Channel;
import io.livykernel.protocol.ConnectionInfo;
import io.livykernel.protocol.KernelTransport;
import io.livykernel.protocol.MalformedMessageException;
import io.livykernel.protocol.MessageHandler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The kernel: receives requests from the transport and serves them on three lanes.
 * <ul>
 * <li>execute requests run one at a time, in order, on the execution thread ({@link ExecutionLane});</li>
 * <li>every other shell request (kernel_info, complete, inspect, is_complete, history, comm_*) runs on the
 * shell lane, so it is answered while a long cell runs;</li>
 * <li>control requests (shutdown, interrupt, and kernel_info sent there) run on the control lane.</li>
 * </ul>
 * Every request is wrapped in iopub status busy ... idle with the request as parent. Whatever a request
 * throws, Errors included, is answered as an error and the lanes go on serving; only a JVM that is no
 * longer usable (see {@link JvmHealth}), a dead socket thread or a vanished parent process stop the kernel.
 */
public final class KernelServer implements MessageHandler {
    private static final Logger LOG = Logger.getLogger(KernelServer.class.getName());

    private final KernelTransport transport;
    private final MessageFactory messages = new MessageFactory(UUID.randomUUID().toString(), "livy-kernel");
    private final KernelInfo kernelInfo;
    private final KernelContext context;
    private final MagicSupport magics;
    private final ExecutionLane execution;
    private final ExecutorService shellLane = singleThread("shell-lane");
    private final ExecutorService controlLane = singleThread("control-lane");
    private final InputBroker input;
    private final History history = new History();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean warmedUp = new AtomicBoolean();
    private static final long WARM_UP_FALLBACK_MILLIS = 1000;
    private final ScheduledExecutorService warmUpTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "warm-up");
        t.setDaemon(true);
        return t;
    });
    private final RateLimitedLog droppedLog = new RateLimitedLog(LOG, 20, 60_000);
    private final JvmHealth health = new JvmHealth(Clock.systemUTC());
    private volatile StopReason stopReason = StopReason.REQUESTED;
    private volatile boolean jvmUnusable;

    public KernelServer(ConnectionInfo connection, KernelContext context, MagicSupport magics, KernelInfo kernelInfo) {
        this.transport = new KernelTransport(connection);
        this.context = context;
        this.magics = magics;
        this.kernelInfo = kernelInfo;
        Outbound outbound = transport::send;
        this.input = new InputBroker(messages, outbound);
        this.execution = new ExecutionLane(messages, outbound, input, history,
                new CellRunner(context, magics, this::survives), context::primaryBackend,
                (request, body) -> withStatus(Channel.SHELL, request, body), this::judge);
    }

    /** Binds the sockets, announces "starting" and begins serving. */
    public void start() throws IOException {
        transport.start(this);
        publishStatus(new JsonObject(), "starting");
        execution.start();
        // The backend warms up (starts a child Python, or an eager Livy session) once the frontend has its
        // first kernel_info_reply, so that it does not compete with the JVM's own start for the CPU.
        warmUpTimer.schedule(this::warmUpOnce, WARM_UP_FALLBACK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void warmUpOnce() {
        if (warmedUp.compareAndSet(false, true)) {
            try {
                context.primaryBackend().warmUp();
            } catch (Throwable e) { // a scheduled task's failure would otherwise vanish into its Future
                LOG.log(Level.WARNING, "warming up " + context.primaryBackend().description() + " failed", e);
                judge(e);
            }
        }
    }

    /** Blocks until the kernel has shut down, and says why (shutdown_request or SIGTERM: REQUESTED). */
    public StopReason awaitStop() throws InterruptedException {
        stopped.await();
        return stopReason;
    }

    /**
     * Stops the kernel, as SIGTERM does, once {@code parent} says the process that started it is gone;
     * checks every {@code period} on a daemon thread.
     */
    public void exitWhenParentGone(ParentWatch parent, Duration period) {
        if (!parent.enabled()) {
            LOG.fine(parent::description);
            return;
        }
        Thread watcher = new Thread(() -> {
            try {
                while (!stopping.get() && !parent.parentGone()) {
                    Thread.sleep(period.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                LOG.log(Level.SEVERE, "watching the parent process failed; the kernel no longer notices it exit", e);
                return;
            }
            if (!stopping.get()) {
                LOG.severe(parent.description() + " is gone: the kernel shuts down and releases its session");
                stop(StopReason.PARENT_GONE);
            }
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** For {@link Thread#setDefaultUncaughtExceptionHandler}: no thread dies without a word in the log. */
    public Thread.UncaughtExceptionHandler uncaughtExceptionHandler() {
        return (thread, failure) -> {
            LOG.log(Level.SEVERE, "thread " + thread.getName() + " died", failure);
            judge(failure);
        };
    }

    /**
     * Records a Throwable caught while serving a request: true when the kernel goes on serving; false when
     * the JVM is no longer usable, and then the kernel stops once the request is answered (see withStatus),
     * so that the frontend sees it died and the cell says why.
     */
    private boolean survives(Throwable failure) {
        if (!health.unusableAfter(failure)) {
            return true;
        }
        LOG.severe("livy-kernel ran out of memory again and exits: its JVM is no longer usable");
        jvmUnusable = true;
        return false;
    }

    /** As {@link #survives}, for a Throwable caught outside any request: an unusable JVM stops at once. */
    private void judge(Throwable failure) {
        if (!survives(failure)) {
            stopInBackground(StopReason.JVM_UNUSABLE);
        }
    }

    private void stopInBackground(StopReason reason) {
        Thread stopper = new Thread(() -> stop(reason), "stop-" + reason.name().toLowerCase(java.util.Locale.ROOT));
        stopper.start();
    }

    @Override
    public void onMessage(Channel channel, Message message) {
        String type = message.msgType();
        switch (channel) {
            case STDIN -> {
                if (type.equals("input_reply")) {
                    input.onInputReply(message);
                } else {
                    LOG.warning("ignoring " + type + " on stdin");
                }
            }
            case CONTROL -> controlLane.execute(() -> withStatus(Channel.CONTROL, message, () -> serveControl(message)));
            case SHELL -> {
                if (type.equals("execute_request")) {
                    execution.enqueue(message);
                } else {
                    shellLane.execute(() -> withStatus(Channel.SHELL, message, () -> serveShell(Channel.SHELL, message)));
                }
            }
            default -> LOG.warning("ignoring " + type + " on " + channel);
        }
    }

    @Override
    public void onTransportFailure(Throwable problem, boolean transportDied) {
        if (transportDied) {
            LOG.severe("the socket thread died, so no request can be answered any more: the kernel exits");
            stopInBackground(StopReason.TRANSPORT_FAILED);
        } else {
            judge(problem);
        }
    }

    @Override
    public void onMalformed(Channel channel, MalformedMessageException problem) {
        droppedLog.warn(() -> "dropped a message on " + channel + ": " + problem.getMessage());
        if (problem.header() != null && problem.header().msgType().endsWith("_request")) {
            Message stub = new Message(problem.identities(), problem.header(), new JsonObject(), new JsonObject(),
                    new JsonObject(), List.of());
            replyError(channel, stub, "BadRequest", "the request could not be read: " + problem.getMessage());
        }
    }

    private void serveControl(Message request) {
        switch (request.msgType()) {
            case "shutdown_request" -> {
                boolean restart = Json.bool(request.content(), "restart", false);
                JsonObject c = ok();
                c.addProperty("restart", restart);
                reply(Channel.CONTROL, request, "shutdown_reply", c);
                LOG.info("shutdown requested (restart=" + restart + ")");
                stopInBackground(StopReason.REQUESTED);
            }
            case "interrupt_request" -> {
                interruptRunningCell();
                reply(Channel.CONTROL, request, "interrupt_reply", ok());
            }
            default -> serveShell(Channel.CONTROL, request);
        }
    }

    private void serveShell(Channel channel, Message request) {
        JsonObject c = request.content();
        switch (request.msgType()) {
            case "kernel_info_request" -> {
                reply(channel, request, "kernel_info_reply", kernelInfo.toReply(context.primaryBackend().description()));
                warmUpTimer.execute(this::warmUpOnce);
            }
            case "complete_request" -> reply(channel, request, "complete_reply", complete(c));
            case "inspect_request" -> reply(channel, request, "inspect_reply", inspect(c));
            case "is_complete_request" -> reply(channel, request, "is_complete_reply", isComplete(c));
            case "history_request" -> reply(channel, request, "history_reply", history(c));
            case "comm_info_request" -> {
                JsonObject r = ok();
                r.add("comms", new JsonObject());
                reply(channel, request, "comm_info_reply", r);
            }
            case "comm_open" -> {
                // No comm targets exist in this kernel: close it at once, as the spec asks.
                JsonObject close = new JsonObject();
                close.addProperty("comm_id", Json.string(c, "comm_id", ""));
                close.add("data", new JsonObject());
                transport.send(Channel.IOPUB, messages.publish(request.header().toJson(), "comm_close", close));
            }
            case "comm_msg", "comm_close" -> LOG.fine(() -> "ignoring " + request.msgType() + " for an unknown comm");
            case "shutdown_request", "interrupt_request" -> serveControl(request);
            default -> {
                LOG.warning("unknown message type " + request.msgType() + " on " + channel);
                if (request.msgType().endsWith("_request")) {
                    replyError(channel, request, "UnknownMessageType",
                            "livy-kernel does not handle " + request.msgType());
                }
            }
        }
    }

    private JsonObject complete(JsonObject c) {
        String code = Json.string(c, "code", "");
        int cursor = clampCursor(code, Json.integer(c, "cursor_pos", code.length()));
        Completion completion = magics == null ? null : magics.complete(code, cursor, context);
        if (completion == null) {
            completion = context.primaryBackend().complete(code, cursor);
        }
        JsonObject r = ok();
        JsonArray matches = new JsonArray();
        completion.matches().forEach(matches::add);
        r.add("matches", matches);
        r.addProperty("cursor_start", completion.cursorStart());
        r.addProperty("cursor_end", completion.cursorEnd());
        r.add("metadata", new JsonObject());
        return r;
    }

    private JsonObject inspect(JsonObject c) {
        String code = Json.string(c, "code", "");
        int cursor = clampCursor(code, Json.integer(c, "cursor_pos", code.length()));
        Inspection inspection = magics == null ? null : magics.inspect(code, cursor, context);
        if (inspection == null) {
            inspection = context.primaryBackend().inspect(code, cursor, Json.integer(c, "detail_level", 0));
        }
        JsonObject r = ok();
        r.addProperty("found", inspection.found());
        r.add("data", inspection.found() ? inspection.data().toJson() : new JsonObject());
        r.add("metadata", new JsonObject());
        return r;
    }

    private JsonObject isComplete(JsonObject c) {
        String code = Json.string(c, "code", "");
        Completeness verdict = magics == null ? null : magics.isComplete(code);
        if (verdict == null) {
            verdict = context.primaryBackend().isComplete(code);
        }
        if (verdict == null) {
            verdict = PythonCompleteness.judge(code);
        }
        JsonObject r = new JsonObject();
        r.addProperty("status", verdict.status().wireName());
        if (verdict.status() == Completeness.Status.INCOMPLETE) {
            r.addProperty("indent", verdict.indent());
        }
        return r;
    }

    private JsonObject history(JsonObject c) {
        boolean output = Json.bool(c, "output", false);
        JsonArray found = switch (Json.string(c, "hist_access_type", "tail")) {
            case "range" -> history.range(Json.integer(c, "session", 0), Json.integer(c, "start", 0),
                    Json.integer(c, "stop", 0), output);
            case "search" -> history.search(Json.string(c, "pattern", "*"), Json.integer(c, "n", 0),
                    Json.bool(c, "unique", false), output);
            default -> history.tail(Json.integer(c, "n", 10), output);
        };
        JsonObject r = ok();
        r.add("history", found);
        return r;
    }

    /**
     * Runs {@code body} between iopub busy and idle for {@code request}; a failure is logged and, where a
     * reply is owed, answered on the request's own channel. Nothing escapes to kill a lane.
     */
    void withStatus(Channel channel, Message request, Runnable body) {
        publishStatus(request.header().toJson(), "busy");
        try {
            body.run();
        } catch (Throwable e) { // Errors too: a lane that dies leaves its requests unanswered forever
            LOG.log(Level.SEVERE, "failed to serve " + request.msgType(), e);
            boolean survived = survives(e);
            if (request.msgType().endsWith("_request")) {
                CellResult.Error error = survived ? ErrorReporter.toCellError(e) : ErrorReporter.exiting(e);
                replyError(channel, request, error.ename(), error.evalue());
            }
        } finally {
            publishStatus(request.header().toJson(), "idle");
            if (jvmUnusable) {
                stopInBackground(StopReason.JVM_UNUSABLE);
            }
        }
    }

    private void publishStatus(JsonObject parent, String state) {
        JsonObject c = new JsonObject();
        c.addProperty("execution_state", state);
        transport.send(Channel.IOPUB, messages.publish(parent, "status", c));
    }

    private void reply(Channel channel, Message request, String type, JsonObject content) {
        transport.send(channel, messages.reply(request, type, content));
    }

    private void replyError(Channel channel, Message request, String ename, String evalue) {
        JsonObject c = new JsonObject();
        c.addProperty("status", "error");
        c.addProperty("ename", ename);
        c.addProperty("evalue", evalue);
        c.add("traceback", new JsonArray());
        String type = request.msgType().replaceFirst("_request$", "_reply");
        transport.send(channel, messages.reply(request, type, c));
    }

    private static JsonObject ok() {
        JsonObject c = new JsonObject();
        c.addProperty("status", "ok");
        return c;
    }

    private static int clampCursor(String code, int cursor) {
        return Math.max(0, Math.min(cursor, code.length()));
    }

    /** Interrupts the running cell, as an interrupt_request does (used for SIGINT). */
    public void interruptRunningCell() {
        input.cancelPending();
        execution.interrupt();
    }

    /**
     * Stops the kernel: the running cell is interrupted, backends release their resources (child
     * processes, remote sessions) in parallel within a deadline, and the sockets close after sending what
     * was queued. Safe to call more than once and from a shutdown hook: a second call waits (briefly) for
     * the first, so that SIGTERM during another stop does not end the JVM before the session is released.
     */
    public void stop() {
        stop(StopReason.REQUESTED);
    }

    private void stop(StopReason reason) {
        if (!stopping.compareAndSet(false, true)) {
            try {
                stopped.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        stopReason = reason;
        execution.interrupt();
        execution.stop();
        closeAll(List.of(context.primaryBackend(), context.localBackend()));
        shellLane.shutdownNow();
        warmUpTimer.shutdownNow();
        controlLane.shutdown();
        transport.close();
        stopped.countDown();
    }

    private static void closeAll(List<Backend> backends) {
        List<Backend> distinct = backends.stream().distinct().toList();
        ExecutorService closers = Executors.newFixedThreadPool(distinct.size());
        Consumer<Backend> close = b -> {
            try {
                b.close();
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "closing " + b.description() + " failed", e);
            }
        };
        distinct.forEach(b -> closers.execute(() -> close.accept(b)));
        closers.shutdown();
        try {
            if (!closers.awaitTermination(1500, TimeUnit.MILLISECONDS)) {
                LOG.warning("backends did not close within 1.5 s; exiting anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ExecutorService singleThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

}
