package io.livykernel.messages;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * One Jupyter message as it travels on a channel: routing identities, header, parent header, metadata,
 * content and binary buffers. The JSON parts are never mutated once a message is built: every message is
 * created fresh by {@link MessageFactory} or by the wire codec.
 */
public record Message(List<byte[]> identities, Header header, JsonObject parentHeader, JsonObject metadata,
                      JsonObject content, List<byte[]> buffers) {

    public Message {
        identities = List.copyOf(identities);
        buffers = List.copyOf(buffers);
    }

    public String msgType() {
        return header.msgType();
    }

    public String msgId() {
        return header.msgId();
    }

    /** The msg_id of the request this message answers, or null when it has no parent. */
    public String parentMsgId() {
        return Json.string(parentHeader, "msg_id", null);
    }
}
