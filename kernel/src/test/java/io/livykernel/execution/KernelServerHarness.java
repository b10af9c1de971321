package io.livykernel.execution;

import com.google.gson.JsonObject;
import io.livykernel.backend.Backend;
import io.livykernel.config.KernelConfig;
import io.livykernel.extension.KernelContext;
import io.livykernel.messages.Message;
import io.livykernel.messages.MessageFactory;
import io.livykernel.protocol.Channel;
import io.livykernel.protocol.ClientTransport;
import io.livykernel.protocol.ConnectionInfo;
import io.livykernel.protocol.MalformedMessageException;
import io.livykernel.protocol.MessageHandler;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.zeromq.ZMQException;
import zmq.ZError;

/**
 * A {@link KernelServer} inside the test's JVM on loopback ports, and a frontend for it: a real JeroMQ client
 * ({@link ClientTransport}) that signs, sends and collects messages per channel, as jupyter_client would.
 * Waits are bounded only so that a broken kernel fails the test instead of hanging it.
 */
final class KernelServerHarness implements AutoCloseable {
    static final long WAIT_SECONDS = 20;

    final StubBackend backend = new StubBackend();
    final KernelServer server;
    private final ClientTransport client;
    private final MessageFactory messages = new MessageFactory(UUID.randomUUID().toString(), "test");
    private final Map<Channel, BlockingQueue<Message>> received = new EnumMap<>(Channel.class);

    KernelServerHarness() throws IOException, InterruptedException {
        for (Channel channel : Channel.values()) {
            received.put(channel, new LinkedBlockingQueue<>());
        }
        ConnectionInfo connection = null;
        KernelServer started = null;
        for (int attempt = 1; started == null; attempt++) {
            connection = ConnectionInfo.onFreeLoopbackPorts("hmac-sha256", UUID.randomUUID().toString());
            KernelServer candidate = new KernelServer(connection, new StubContext(backend), null,
                    new KernelInfo("test"));
            try {
                candidate.start();
                started = candidate;
            } catch (ZMQException e) {
                // a free port can be taken by another test's connection between the probe and the bind
                candidate.stop();
                if (e.getErrorCode() != ZError.EADDRINUSE || attempt == 3) {
                    throw e;
                }
            }
        }
        server = started;
        client = new ClientTransport(connection, "frontend-" + UUID.randomUUID());
        client.start(new MessageHandler() {
            @Override
            public void onMessage(Channel channel, Message message) {
                received.get(channel).add(message);
            }

            @Override
            public void onMalformed(Channel channel, MalformedMessageException problem) {
                throw new AssertionError("the kernel sent a malformed message: " + problem.getMessage());
            }
        });
        awaitIopubSubscribed();
        if (!client.awaitHandshakes(TimeUnit.SECONDS.toMillis(WAIT_SECONDS))) {
            throw new AssertionError("the client's stdin or control connection never finished its handshake");
        }
    }

    /** A SUB socket misses what is published before it is connected: ask until a status comes through. */
    private void awaitIopubSubscribed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            String id = send(Channel.SHELL, "kernel_info_request", new JsonObject());
            reply(id);
            if (received.get(Channel.IOPUB).poll(200, TimeUnit.MILLISECONDS) != null) {
                Thread.sleep(100);
                received.values().forEach(BlockingQueue::clear);
                return;
            }
        }
        throw new AssertionError("iopub never delivered a status message");
    }

    String send(Channel channel, String type, JsonObject content) {
        Message request = messages.request(List.of(), null, type, content);
        client.send(channel, request);
        return request.msgId();
    }

    String execute(String code) {
        return execute(code, true);
    }

    String execute(String code, boolean stopOnError) {
        JsonObject c = new JsonObject();
        c.addProperty("code", code);
        c.addProperty("silent", false);
        c.addProperty("store_history", true);
        c.addProperty("allow_stdin", false);
        c.addProperty("stop_on_error", stopOnError);
        c.add("user_expressions", new JsonObject());
        return send(Channel.SHELL, "execute_request", c);
    }

    /** The reply to a request on shell or control (whichever it was sent on). */
    Message reply(String requestId) throws InterruptedException {
        return awaitOn(Channel.SHELL, Channel.CONTROL, requestId);
    }

    private Message awaitOn(Channel first, Channel second, String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            for (Channel channel : List.of(first, second)) {
                for (Message m : received.get(channel)) {
                    if (requestId.equals(m.parentMsgId())) {
                        received.get(channel).remove(m);
                        return m;
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no reply to " + requestId);
    }

    /** The iopub messages whose parent is the request, up to and including its idle status. */
    List<Message> iopubUntilIdle(String requestId) throws InterruptedException {
        BlockingQueue<Message> iopub = received.get(Channel.IOPUB);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        List<Message> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = iopub.stream().filter(m -> requestId.equals(m.parentMsgId())).toList();
            if (seen.stream().anyMatch(m -> types(List.of(m)).equals(List.of("status:idle")))) {
                iopub.removeAll(seen); // other requests' messages stay for their own readers
                return seen;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no idle status for " + requestId + "; saw " + types(seen));
    }

    static List<String> types(List<Message> messages) {
        return messages.stream().map(m -> m.msgType().equals("status")
                ? "status:" + m.content().get("execution_state").getAsString() : m.msgType()).toList();
    }

    static String status(Message reply) {
        return reply.content().get("status").getAsString();
    }

    @Override
    public void close() {
        client.close();
        server.stop();
    }

    private record StubContext(Backend backend) implements KernelContext {
        @Override
        public Backend primaryBackend() {
            return backend;
        }

        @Override
        public Backend localBackend() {
            return backend;
        }

        @Override
        public KernelConfig config() {
            return KernelConfig.defaults();
        }
    }
}
