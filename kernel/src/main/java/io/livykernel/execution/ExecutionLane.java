package io.livykernel.execution;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.api.Cell;
import io.livykernel.api.CellResult;
import io.livykernel.backend.Backend;
import io.livykernel.messages.Json;
import io.livykernel.messages.Message;
import io.livykernel.messages.MessageFactory;
import io.livykernel.protocol.Channel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs execute requests one at a time, in arrival order, on its own thread. After a cell fails with
 * stop_on_error, the requests already queued behind it are answered "aborted" without running. They are
 * taken from the queue before the error reply is sent: a request the client sends after seeing that reply
 * is a new decision and must run.
 */
final class ExecutionLane {
    private static final Logger LOG = Logger.getLogger(ExecutionLane.class.getName());
    private static final Message STOP = new Message(List.of(), new io.livykernel.messages.Header(
            "stop", "", "", "", "stop", ""), new JsonObject(), new JsonObject(), new JsonObject(), List.of());

    private final MessageFactory messages;
    private final Outbound outbound;
    private final InputBroker input;
    private final History history;
    private final CellRunner runner;
    private final Supplier<Backend> primary;
    private final BiConsumer<Message, Runnable> withStatus;
    private final Consumer<Throwable> onFailure;
    private final BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
    private final Thread thread = new Thread(this::run, "execution");
    private int executionCount;

    ExecutionLane(MessageFactory messages, Outbound outbound, InputBroker input, History history, CellRunner runner,
                  Supplier<Backend> primary, BiConsumer<Message, Runnable> withStatus, Consumer<Throwable> onFailure) {
        this.messages = messages;
        this.outbound = outbound;
        this.input = input;
        this.history = history;
        this.runner = runner;
        this.primary = primary;
        this.withStatus = withStatus;
        this.onFailure = onFailure;
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void enqueue(Message request) {
        queue.add(request);
    }

    void interrupt() {
        runner.interrupt();
    }

    void stop() {
        queue.clear();
        queue.add(STOP);
    }

    private void run() {
        while (true) {
            Message request;
            try {
                request = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (request == STOP) {
                return;
            }
            try {
                List<Message> toAbort = new ArrayList<>();
                withStatus.accept(request, () -> toAbort.addAll(execute(request)));
                abort(toAbort);
            } catch (Throwable e) { // withStatus answers what it can; whatever is left must not end the lane
                LOG.log(Level.SEVERE, "the execution lane caught a failure and goes on serving", e);
                onFailure.accept(e);
            }
        }
    }

    /** Runs one execute_request; returns the queued requests to abort (when it failed with stop_on_error). */
    private List<Message> execute(Message request) {
        JsonObject c = request.content();
        String code = Json.string(c, "code", "");
        boolean silent = Json.bool(c, "silent", false);
        boolean storeHistory = !silent && Json.bool(c, "store_history", true);
        boolean allowStdin = Json.bool(c, "allow_stdin", true);
        boolean stopOnError = Json.bool(c, "stop_on_error", true);
        Map<String, String> expressions = userExpressions(Json.object(c, "user_expressions"));
        if (storeHistory) {
            executionCount++;
        }
        int count = executionCount;
        if (!silent) {
            JsonObject announce = new JsonObject();
            announce.addProperty("code", code);
            announce.addProperty("execution_count", count);
            outbound.send(Channel.IOPUB, messages.publish(request.header().toJson(), "execute_input", announce));
        }
        Thread.interrupted(); // a stale interrupt must not hit the next cell
        IopubCellOutput out = new IopubCellOutput(messages, outbound, input, request, silent, allowStdin, count);
        Cell cell = new Cell(code, silent, storeHistory, allowStdin, count, expressions);
        CellResult result = runner.run(cell, out);

        JsonObject reply = new JsonObject();
        if (result instanceof CellResult.Error error) {
            JsonObject shown = errorContent(error);
            if (!silent) {
                outbound.send(Channel.IOPUB, messages.publish(request.header().toJson(), "error", shown));
            }
            reply.addProperty("status", "error");
            reply.addProperty("execution_count", count);
            shown.entrySet().forEach(e -> reply.add(e.getKey(), e.getValue()));
        } else {
            CellResult.Ok ok = (CellResult.Ok) result;
            reply.addProperty("status", "ok");
            reply.addProperty("execution_count", count);
            JsonArray payload = new JsonArray();
            ok.payload().forEach(payload::add);
            reply.add("payload", payload);
            JsonObject evaluated = new JsonObject();
            if (!expressions.isEmpty()) {
                primary.get().evaluate(expressions).forEach(evaluated::add);
            }
            reply.add("user_expressions", evaluated);
        }
        if (storeHistory) {
            history.add(count, code, out.resultText());
        }
        List<Message> queuedBehind = new ArrayList<>();
        if (result instanceof CellResult.Error && stopOnError) {
            queue.drainTo(queuedBehind);
        }
        outbound.send(Channel.SHELL, messages.reply(request, "execute_reply", reply));
        return queuedBehind;
    }

    private void abort(List<Message> pending) {
        for (Message request : pending) {
            if (request == STOP) {
                queue.add(STOP);
                return;
            }
            LOG.fine(() -> "aborting queued execute_request " + request.msgId() + " after an error");
            withStatus.accept(request, () -> {
                JsonObject reply = new JsonObject();
                reply.addProperty("status", "aborted");
                reply.addProperty("execution_count", executionCount);
                outbound.send(Channel.SHELL, messages.reply(request, "execute_reply", reply));
            });
        }
    }

    private static JsonObject errorContent(CellResult.Error error) {
        JsonObject c = new JsonObject();
        c.addProperty("ename", error.ename());
        c.addProperty("evalue", error.evalue());
        JsonArray traceback = new JsonArray();
        error.traceback().forEach(traceback::add);
        c.add("traceback", traceback);
        return c;
    }

    private static Map<String, String> userExpressions(JsonObject raw) {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : raw.entrySet()) {
            if (e.getValue().isJsonPrimitive()) {
                expressions.put(e.getKey(), e.getValue().getAsString());
            }
        }
        return expressions;
    }
}
