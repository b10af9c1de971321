package io.livykernel.messages;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** A Jupyter message header (messaging spec 5.x). */
public record Header(String msgId, String session, String username, String date, String msgType, String version) {

    /** Headers we send claim 5.4: the conformance suite rejects extra fields for 5.1 and older. */
    public static final String PROTOCOL_VERSION = "5.4";

    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public static Header create(String msgType, String session, String username) {
        return new Header(UUID.randomUUID().toString(), session, username, ISO_MICROS.format(Instant.now()),
                msgType, PROTOCOL_VERSION);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("msg_id", msgId);
        o.addProperty("session", session);
        o.addProperty("username", username);
        o.addProperty("date", date);
        o.addProperty("msg_type", msgType);
        o.addProperty("version", version);
        return o;
    }

    /** Reads a header; fails when the fields every message must carry are missing. */
    public static Header fromJson(JsonObject o) {
        String msgType = Json.string(o, "msg_type", null);
        String msgId = Json.string(o, "msg_id", null);
        if (msgType == null || msgId == null) {
            throw new IllegalArgumentException("header lacks msg_id or msg_type");
        }
        return new Header(msgId, Json.string(o, "session", ""), Json.string(o, "username", ""),
                Json.string(o, "date", ""), msgType, Json.string(o, "version", ""));
    }
}
