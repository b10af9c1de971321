package io.livykernel.backend.livy;

import static io.livykernel.backend.livy.rest.FakeLivy.reply;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import io.livykernel.backend.livy.rest.FakeLivy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link FakeLivy} handler that keeps sessions and their statements the way Livy does: ids from 0,
 * starting then idle, statements that finish at once and print what the code names, Livy's refusals for a
 * dead session, and a restart that forgets everything and hands out id 0 again.
 */
final class LivySessionsFake implements FakeLivy.Handler {
    private static final Pattern SESSION = Pattern.compile("^/sessions/(\\d+)(/.*)?$");
    private static final Pattern STATEMENT = Pattern.compile("^/statements/(\\d+)$");

    /** A session as Livy keeps it. */
    static final class Session {
        final int id;
        final String name;
        final String proxyUser;
        volatile String state = "starting";
        final List<String> statements = new ArrayList<>();

        Session(int id, String name, String proxyUser) {
            this.id = id;
            this.name = name;
            this.proxyUser = proxyUser;
        }

        JsonObject json() {
            JsonObject o = new JsonObject();
            o.addProperty("id", id);
            o.addProperty("name", name);
            o.addProperty("proxyUser", proxyUser);
            o.addProperty("kind", "pyspark");
            o.addProperty("state", state);
            return o;
        }
    }

    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private int nextId;
    /** GETs of a starting session before it is idle; -1: it never gets there. */
    volatile int pollsToStart = 1;
    private final Map<Integer, Integer> polls = new ConcurrentHashMap<>();
    /** A proxy answers POST /sessions with 503 and holds it; Livy creates the session on {@link #landHeldPost}. */
    volatile boolean holdSessionPosts;
    /** GET /sessions fails (Livy cannot be asked). */
    volatile boolean listingsFail;
    private String heldPost;

    synchronized Session session(int id) {
        return sessions.get(id);
    }

    synchronized List<Session> sessions() {
        return List.copyOf(sessions.values());
    }

    /** Livy restarted: every session forgotten, ids from 0 again (livy.server.recovery.mode off). */
    synchronized void restart() {
        sessions.clear();
        polls.clear();
        nextId = 0;
    }

    /** Another notebook's session (after a restart: it gets our old id). */
    synchronized Session createOther(String name) {
        Session s = new Session(nextId++, name, "someone-else");
        s.state = "idle";
        sessions.put(s.id, s);
        return s;
    }

    /** The POST /sessions a proxy held lands now, after the client gave up on it. */
    synchronized Session landHeldPost() {
        JsonObject body = JsonParser.parseString(heldPost).getAsJsonObject();
        heldPost = null;
        Session s = new Session(nextId++, body.get("name").getAsString(), null);
        sessions.put(s.id, s);
        return s;
    }

    void kill(int id) {
        session(id).state = "dead";
    }

    @Override
    public synchronized void handle(FakeLivy.Request request, HttpExchange exchange) throws Exception {
        String method = request.method();
        String path = request.path();
        if (path.equals("/sessions") && method.equals("POST") && holdSessionPosts) {
            heldPost = request.bodyText();
            reply(exchange, 503, "text/html", "<html><title>503 Service Unavailable</title></html>");
            return;
        }
        if (path.equals("/sessions") && method.equals("GET") && listingsFail) {
            reply(exchange, 500, "\"java.lang.RuntimeException: down\"");
            return;
        }
        if (path.equals("/sessions") && method.equals("POST")) {
            JsonObject body = JsonParser.parseString(request.bodyText()).getAsJsonObject();
            Session s = new Session(nextId++, body.get("name").getAsString(),
                    body.has("proxyUser") ? body.get("proxyUser").getAsString() : null);
            sessions.put(s.id, s);
            reply(exchange, 201, s.json().toString());
            return;
        }
        if (path.equals("/sessions") && method.equals("GET")) {
            JsonArray all = new JsonArray();
            sessions.values().forEach(s -> all.add(s.json()));
            reply(exchange, 200, "{\"from\":0,\"total\":" + all.size() + ",\"sessions\":" + all + "}");
            return;
        }
        Matcher m = SESSION.matcher(path);
        Session s = m.matches() ? sessions.get(Integer.parseInt(m.group(1))) : null;
        if (s == null) {
            reply(exchange, 404, "{\"msg\":\"Session '" + (m.matches() ? m.group(1) : path) + "' not found.\"}");
            return;
        }
        String rest = m.group(2) == null ? "" : m.group(2);
        if (rest.isEmpty() && method.equals("DELETE")) {
            sessions.remove(s.id);
            reply(exchange, 200, "{\"msg\":\"deleted\"}");
        } else if (rest.isEmpty() || rest.equals("/state")) {
            if (s.state.equals("starting") && pollsToStart >= 0
                    && polls.merge(s.id, 1, Integer::sum) >= pollsToStart) {
                s.state = "idle";
            }
            reply(exchange, 200, rest.isEmpty() ? s.json().toString()
                    : "{\"id\":" + s.id + ",\"state\":\"" + s.state + "\"}");
        } else if (rest.equals("/log")) {
            reply(exchange, 200, "{\"id\":" + s.id + ",\"from\":0,\"total\":0,\"log\":[]}");
        } else if (rest.equals("/statements") && method.equals("POST")) {
            if (!s.state.equals("idle") && !s.state.equals("busy")) {
                reply(exchange, 500, "\"java.lang.IllegalStateException: Session is in state " + s.state + "\"");
                return;
            }
            s.statements.add(JsonParser.parseString(request.bodyText()).getAsJsonObject().get("code").getAsString());
            reply(exchange, 201, statement(s, s.statements.size() - 1).toString());
        } else if (STATEMENT.matcher(rest).matches()) {
            Matcher st = STATEMENT.matcher(rest);
            st.matches();
            reply(exchange, 200, statement(s, Integer.parseInt(st.group(1))).toString());
        } else {
            reply(exchange, 404, "{\"msg\":\"no such endpoint in the fake\"}");
        }
    }

    /** A finished statement whose output is its code, so a test sees which session ran what. */
    private static JsonObject statement(Session s, int id) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("code", s.statements.get(id));
        o.addProperty("state", "available");
        o.addProperty("progress", 1.0);
        JsonObject output = new JsonObject();
        output.addProperty("status", "ok");
        output.addProperty("execution_count", id);
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", "ran in " + s.name);
        output.add("data", data);
        o.add("output", output);
        return o;
    }
}
