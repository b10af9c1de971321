package io.livykernel.messages;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds the messages one side of a connection sends: they all carry that side's session id. */
public final class MessageFactory {
    private final String session;
    private final String username;

    public MessageFactory(String session, String username) {
        this.session = session;
        this.username = username;
    }

    public String session() {
        return session;
    }

    /** A reply to {@code request}, routed back to the same peer. */
    public Message reply(Message request, String msgType, JsonObject content) {
        return new Message(request.identities(), Header.create(msgType, session, username),
                request.header().toJson(), new JsonObject(), content, List.of());
    }

    /** An iopub broadcast; the topic frame is the message type, as ipykernel does. */
    public Message publish(JsonObject parentHeader, String msgType, JsonObject content) {
        return new Message(List.of(msgType.getBytes(StandardCharsets.UTF_8)), Header.create(msgType, session, username),
                parentHeader == null ? new JsonObject() : parentHeader, new JsonObject(), content, List.of());
    }

    /** A request we originate (to a child kernel, or an input_request to the frontend). */
    public Message request(List<byte[]> identities, JsonObject parentHeader, String msgType, JsonObject content) {
        return new Message(identities, Header.create(msgType, session, username),
                parentHeader == null ? new JsonObject() : parentHeader, new JsonObject(), content, List.of());
    }
}
