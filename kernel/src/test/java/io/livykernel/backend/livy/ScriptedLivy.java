package io.livykernel.backend.livy;

import static io.livykernel.backend.livy.rest.FakeLivy.reply;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import io.livykernel.backend.livy.rest.FakeLivy;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * One statement's life on {@link FakeLivy}, scripted on a {@link ManualTicker}'s clock in milliseconds after
 * its POST: what {@code GET /sessions/0/state} and {@code GET /sessions/0/statements/1} answer from each
 * moment on. A state written "HTTP 500 text" is answered with that status and text instead.
 */
final class ScriptedLivy {
    static final int STATEMENT_ID = 1;

    private final ManualTicker clock;
    private final TreeMap<Long, String> sessionStates = new TreeMap<>();
    private final TreeMap<Long, String> statementStates = new TreeMap<>();
    private final TreeMap<Long, Double> progress = new TreeMap<>();
    private volatile long postedAt = -1;
    private volatile long completedAt = -1;
    private volatile LongConsumer onCancel = t -> { };
    private volatile String postAnswerState = "waiting";
    private volatile String sessionInfo = "{\"id\":0,\"name\":\"scripted\",\"kind\":\"pyspark\",\"state\":\"idle\"}";
    /** Counted down when a request meets a state written "HANG" (the server then never answers it). */
    final CountDownLatch hanging = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    ScriptedLivy(ManualTicker clock) {
        this.clock = clock;
        progress.put(0L, 0.0);
    }

    /** The session's state from {@code fromMillis} on. */
    synchronized ScriptedLivy session(long fromMillis, String state) {
        sessionStates.put(fromMillis, state);
        return this;
    }

    /** The statement's state (and progress) from {@code fromMillis} on; a finished state stamps `completed`. */
    synchronized ScriptedLivy statement(long fromMillis, String state, double progressNow) {
        statementStates.put(fromMillis, state);
        progress.put(fromMillis, progressNow);
        if ((state.equals("available") || state.equals("cancelled")) && completedAt < 0) {
            completedAt = fromMillis;
        }
        return this;
    }

    ScriptedLivy statement(long fromMillis, String state) {
        return statement(fromMillis, state, progressAt(fromMillis));
    }

    /** What the POST answers (Livy: usually "waiting", sometimes "running"; "HANG": never). */
    ScriptedLivy postAnswers(String state) {
        postAnswerState = state;
        return this;
    }

    /** What GET /sessions/0 answers (e.g. with an appId and a Spark UI address, as on YARN). */
    ScriptedLivy sessionInfo(String json) {
        sessionInfo = json;
        return this;
    }

    /** Called with the time of a cancel request; the script reacts by adding states. */
    ScriptedLivy onCancel(LongConsumer reaction) {
        onCancel = reaction;
        return this;
    }

    /** A plain statement of {@code durationMillis}: /state flips 1 ms after `completed`, the statement 3 ms after. */
    static ScriptedLivy plain(ManualTicker clock, long durationMillis) {
        return new ScriptedLivy(clock).session(0, "busy").session(durationMillis + 1, "idle")
                .statement(0, "running", 0).statement(durationMillis + 3, "available", 1.0)
                .completedAt(durationMillis);
    }

    ScriptedLivy completedAt(long millis) {
        completedAt = millis;
        return this;
    }

    /** The time of `completed` on the script's clock, relative to the POST. */
    long completedAt() {
        return completedAt;
    }

    long postedAt() {
        return postedAt;
    }

    /** Milliseconds since the POST. */
    long now() {
        return clock.nowMillis() - postedAt;
    }

    void serveOn(FakeLivy livy) {
        livy.handle((request, exchange) -> {
            String path = request.path();
            if (request.method().equals("POST") && path.equals("/sessions/0/statements")) {
                postedAt = clock.nowMillis();
                if (postAnswerState.equals("HANG")) {
                    answer(exchange, "HANG", s -> s);
                }
                reply(exchange, 201, statementJson(postAnswerState, 0, false).toString());
            } else if (request.method().equals("POST") && path.endsWith("/cancel")) {
                onCancel.accept(now());
                reply(exchange, 200, "{\"msg\":\"canceled\"}");
            } else if (path.equals("/sessions/0/state")) {
                answer(exchange, at(sessionStates, now()), s -> "{\"id\":0,\"state\":\"" + s + "\"}");
            } else if (path.equals("/sessions/0/statements/" + STATEMENT_ID)) {
                long t = now();
                answer(exchange, at(statementStates, t), s -> statementJson(s, at(progress, t), true).toString());
            } else if (path.equals("/sessions/0/statements")) {
                reply(exchange, 200, "{\"total_statements\":1,\"statements\":[{\"id\":0,\"code\":\"earlier\","
                        + "\"state\":\"available\",\"progress\":1.0}]}");
            } else if (path.equals("/sessions/0")) {
                reply(exchange, 200, sessionInfo);
            } else {
                reply(exchange, 404, "{\"msg\":\"not scripted: " + path + "\"}");
            }
        });
    }

    private synchronized <T> T at(TreeMap<Long, T> timeline, long t) {
        Map.Entry<Long, T> entry = timeline.floorEntry(t);
        return entry == null ? timeline.firstEntry().getValue() : entry.getValue();
    }

    private synchronized double progressAt(long t) {
        return at(progress, t);
    }

    /** Lets hung requests end (the server then drops them). */
    void releaseHungRequests() {
        release.countDown();
    }

    private void answer(HttpExchange exchange, String state, Function<String, String> body)
            throws IOException, InterruptedException {
        if (state.equals("HANG")) {
            hanging.countDown();
            release.await();
            throw FakeLivy.dropConnection();
        }
        if (state.startsWith("HTTP ")) {
            int status = Integer.parseInt(state.substring(5, 8));
            reply(exchange, status, "text/plain", state.substring(9));
        } else {
            reply(exchange, 200, body.apply(state));
        }
    }

    private JsonObject statementJson(String state, double progressNow, boolean withOutput) {
        JsonObject o = new JsonObject();
        o.addProperty("id", STATEMENT_ID);
        o.addProperty("code", "the cell");
        o.addProperty("state", state);
        o.addProperty("progress", progressNow);
        o.addProperty("started", 1);
        boolean finished = state.equals("available") || state.equals("cancelled");
        o.addProperty("completed", finished ? 1 + completedAt : 0);
        if (withOutput && state.equals("available")) {
            JsonObject output = new JsonObject();
            output.addProperty("status", "ok");
            output.addProperty("execution_count", 1);
            JsonObject data = new JsonObject();
            data.addProperty("text/plain", "the result");
            output.add("data", data);
            o.add("output", output);
        }
        return o;
    }
}
