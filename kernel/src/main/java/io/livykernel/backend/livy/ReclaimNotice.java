package io.livykernel.backend.livy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.config.LivyDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When the server will reclaim a session, in words for %%info, from what the server says (its echo of {@code ttl}
 * and {@code idleTimeout}, Livy 0.9+). An idleTimeout counts from the last activity: Livy's idle clock starts when
 * the session turns idle and restarts with each statement (recording 4: an idleTimeout of 1m deleted a session
 * 60 s after it turned idle). A ttl counts from the creation, busy or not (LIVY-989), where the server turns its
 * ttl check on. Livy looks for expired sessions about once a minute, so the times are "about".
 */
final class ReclaimNotice {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private ReclaimNotice() {
    }

    /**
     * @param sent         the request this kernel sends, to say when the server did not echo what was asked
     * @param createdMillis when the kernel asked for the session; null when not known (an attached session)
     * @param lastActivity when the server last counted activity; null when not known
     */
    static String describe(LivySession s, JsonObject sent, Long createdMillis, Long lastActivity, long nowMillis) {
        List<String> lines = new ArrayList<>();
        LivyDuration.parse(s.idleTimeout()).ifPresent(idle -> lines.add("Idle timeout " + s.idleTimeout()
                + ": the server deletes the session " + LivyDuration.words(idle) + " after its last activity"
                + (lastActivity == null ? " (the last activity is not known to this kernel: the session was attached)"
                : ", " + when(lastActivity + idle.toMillis(), nowMillis) + " unless a cell runs before") + "."));
        LivyDuration.parse(s.ttl()).ifPresent(ttl -> lines.add("Time to live " + s.ttl()
                + ": the server deletes the session " + LivyDuration.words(ttl) + " after its creation, busy or not"
                + (createdMillis == null ? " (its creation time is not known to this kernel: the session was attached)"
                : ", " + when(createdMillis + ttl.toMillis(), nowMillis))
                + ", where it checks ttl (livy.server.session.ttl-check)."));
        if (lines.isEmpty()) {
            String asked = asked(sent, "idleTimeout").or(() -> asked(sent, "ttl")).orElse("");
            lines.add("The server did not say when it reclaims this session (it shows no ttl or idleTimeout"
                    + asked + "); its own idle timeout applies (livy.server.session.timeout).");
        }
        return String.join("\n", lines);
    }

    private static String when(long atMillis, long nowMillis) {
        long left = atMillis - nowMillis;
        String clock = CLOCK.format(Instant.ofEpochMilli(atMillis));
        return left <= 0 ? "now (due since " + clock + ")"
                : "in about " + LivyDuration.words(Duration.ofMillis(left)) + " (" + clock + ")";
    }

    private static Optional<String> asked(JsonObject sent, String key) {
        JsonElement v = sent == null ? null : sent.get(key);
        return v == null || !v.isJsonPrimitive() ? Optional.empty()
                : Optional.of(", although this kernel asked for " + key + " " + v.getAsString()
                + ": the server may predate Livy 0.9");
    }
}
