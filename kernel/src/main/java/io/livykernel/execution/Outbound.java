package io.livykernel.execution;

import io.livykernel.messages.Message;
import io.livykernel.protocol.Channel;

/** Sends a message to the frontend; the transport's send, seen from the execution layer. */
@FunctionalInterface
public interface Outbound {
    void send(Channel channel, Message message);
}
