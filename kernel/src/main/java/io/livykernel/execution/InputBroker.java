package io.livykernel.execution;

import com.google.gson.JsonObject;
import io.livykernel.messages.Json;
import io.livykernel.messages.Message;
import io.livykernel.messages.MessageFactory;
import io.livykernel.protocol.Channel;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks the frontend for input on the stdin channel (input_request to the identity that sent the
 * execute_request) and waits for its input_reply. An interrupt cancels the wait.
 */
final class InputBroker {
    private final MessageFactory messages;
    private final Outbound outbound;
    private final AtomicReference<CompletableFuture<String>> pending = new AtomicReference<>();

    InputBroker(MessageFactory messages, Outbound outbound) {
        this.messages = messages;
        this.outbound = outbound;
    }

    String request(Message executeRequest, String prompt, boolean password) throws InterruptedException {
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.set(answer);
        JsonObject content = new JsonObject();
        content.addProperty("prompt", prompt);
        content.addProperty("password", password);
        outbound.send(Channel.STDIN, messages.request(executeRequest.identities(),
                executeRequest.header().toJson(), "input_request", content));
        try {
            return answer.get();
        } catch (CancellationException e) {
            throw new InterruptedException("input was interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pending.compareAndSet(answer, null);
        }
    }

    void onInputReply(Message reply) {
        CompletableFuture<String> answer = pending.get();
        if (answer != null) {
            answer.complete(Json.string(reply.content(), "value", ""));
        }
    }

    void cancelPending() {
        CompletableFuture<String> answer = pending.get();
        if (answer != null) {
            answer.cancel(false);
        }
    }
}
