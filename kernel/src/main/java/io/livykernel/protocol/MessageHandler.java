package io.livykernel.protocol;

import io.livykernel.messages.Message;

/** What a transport delivers decoded messages to. Called on the socket thread: hand work off, don't block. */
public interface MessageHandler {
    void onMessage(Channel channel, Message message);

    /** A message that failed framing, signature, replay or JSON checks. It must never be acted on. */
    void onMalformed(Channel channel, MalformedMessageException problem);

    /**
     * Handling a message threw {@code problem} (the message was dropped), or, with {@code transportDied}, the
     * transport stopped on it (its socket thread or heartbeat ended): nothing will be received any more.
     */
    default void onTransportFailure(Throwable problem, boolean transportDied) {
    }
}
