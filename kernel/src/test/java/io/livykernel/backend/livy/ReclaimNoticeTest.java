package io.livykernel.backend.livy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livykernel.backend.livy.rest.LivySession;
import org.junit.jupiter.api.Test;

/** %%info's line on when the server reclaims the session, from the server's echo of ttl / idleTimeout. */
class ReclaimNoticeTest {
    /** 2026-12-05 10:00 UTC. */
    private static final long TEN = 1_796_464_800_000L;

    private static LivySession session(String fields) {
        return LivySession.fromJson(JsonParser.parseString("{\"id\": 3, \"state\": \"idle\"" + fields + "}")
                .getAsJsonObject());
    }

    @Test
    void idleTimeoutCountsFromTheLastActivity() {
        String line = ReclaimNotice.describe(session(", \"idleTimeout\": \"30m\""), new JsonObject(), TEN - 3_600_000,
                TEN - 600_000, TEN);
        assertEquals("Idle timeout 30m: the server deletes the session 30 min after its last activity, in about"
                + " 20 min (10:20 UTC) unless a cell runs before.", line);
    }

    @Test
    void ttlCountsFromTheCreationBusyOrNot() {
        String line = ReclaimNotice.describe(session(", \"ttl\": \"8h\""), new JsonObject(), TEN - 3_600_000, TEN, TEN);
        assertEquals("Time to live 8h: the server deletes the session 8 h after its creation, busy or not, in about"
                + " 7 h (17:00 UTC), where it checks ttl (livy.server.session.ttl-check).", line);
    }

    @Test
    void anAttachedSessionsTimesAreSaidToBeUnknown() {
        String line = ReclaimNotice.describe(session(", \"idleTimeout\": \"1h\""), new JsonObject(), null, null, TEN);
        assertEquals("Idle timeout 1h: the server deletes the session 1 h after its last activity (the last activity"
                + " is not known to this kernel: the session was attached).", line);
    }

    @Test
    void aServerThatEchoesNeitherIsSaidNotToHaveSaid() {
        JsonObject sent = JsonParser.parseString("{\"idleTimeout\": \"30m\"}").getAsJsonObject();
        assertEquals("The server did not say when it reclaims this session (it shows no ttl or idleTimeout, although"
                + " this kernel asked for idleTimeout 30m: the server may predate Livy 0.9); its own idle timeout"
                + " applies (livy.server.session.timeout).", ReclaimNotice.describe(session(""), sent, TEN, TEN, TEN));
    }
}
