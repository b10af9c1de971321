package io.livykernel.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFactoryTest {
    private static final byte[] FRONTEND = "frontend-identity".getBytes(StandardCharsets.UTF_8);

    private final MessageFactory kernel = new MessageFactory("kernel-session", "livy-kernel");
    private final Message request = new Message(List.of(FRONTEND), Header.create("execute_request", "client", "alice"),
            new JsonObject(), new JsonObject(), new JsonObject(), List.of());

    @Test
    void replyGoesBackToTheRequestersIdentityWithTheRequestAsParent() {
        Message reply = kernel.reply(request, "execute_reply", new JsonObject());

        assertArrayEquals(FRONTEND, reply.identities().get(0));
        assertEquals(request.msgId(), reply.parentMsgId());
        assertEquals(request.header().toJson(), reply.parentHeader());
        assertEquals("execute_reply", reply.msgType());
        assertEquals("kernel-session", reply.header().session());
    }

    @Test
    void publishUsesTheMessageTypeAsTopic() {
        Message status = kernel.publish(request.header().toJson(), "status", new JsonObject());

        assertEquals("status", new String(status.identities().get(0), StandardCharsets.UTF_8));
        assertEquals(request.msgId(), status.parentMsgId());
    }

    @Test
    void everyMessageGetsItsOwnId() {
        assertNotEquals(kernel.reply(request, "x_reply", new JsonObject()).msgId(),
                kernel.reply(request, "x_reply", new JsonObject()).msgId());
    }

    @Test
    void headerWithoutMsgTypeOrMsgIdIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Header.fromJson(JsonParser.parseString("{\"msg_id\": \"1\"}").getAsJsonObject()));
        assertThrows(IllegalArgumentException.class,
                () -> Header.fromJson(JsonParser.parseString("{\"msg_type\": \"status\"}").getAsJsonObject()));
    }
}
