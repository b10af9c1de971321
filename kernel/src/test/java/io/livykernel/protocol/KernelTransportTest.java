package io.livykernel.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.messages.Header;
import io.livykernel.messages.Message;
import io.livykernel.messages.MessageFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** The kernel's sockets on loopback tcp, driven by JeroMQ client sockets as a frontend would. */
class KernelTransportTest {
    private static final String KEY = "0f1e2d3c-transport-test";
    private static final int ATTEMPT_MS = 1500;
    private static final int ATTEMPTS = 3;
    private static final byte[] DEALER_ID = "frontend-1".getBytes(StandardCharsets.UTF_8);

    private record Malformed(Channel channel, MalformedMessageException problem) {
    }

    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Malformed> malformed = new LinkedBlockingQueue<>();
    private final WireCodec clientCodec = new WireCodec(new MessageSigner("hmac-sha256", KEY));
    private ConnectionInfo info;
    private KernelTransport kernel;
    private ZContext client;

    @BeforeEach
    void startKernel() throws IOException {
        info = ConnectionInfo.onFreeLoopbackPorts("hmac-sha256", KEY);
        kernel = new KernelTransport(info);
        kernel.start(new MessageHandler() {
            @Override
            public void onMessage(Channel channel, Message message) {
                received.add(message);
            }

            @Override
            public void onMalformed(Channel channel, MalformedMessageException problem) {
                malformed.add(new Malformed(channel, problem));
            }
        });
        client = new ZContext(1);
    }

    @AfterEach
    void closeSockets() {
        kernel.close();
        client.close();
    }

    @Test
    void signedRequestReachesTheHandlerAndTheSignedReplyRoutesBackToTheSender() throws Exception {
        Connected<Message> shell = connect(SocketType.DEALER, Channel.SHELL, socket -> {
            Message request = request("kernel_info_request");
            sendAll(socket, clientCodec.encode(request));
            Message delivered = received.poll(ATTEMPT_MS, TimeUnit.MILLISECONDS);
            assertTrue(delivered == null || delivered.msgId().equals(request.msgId()));
            return delivered;
        });
        Message delivered = shell.result();
        assertEquals("kernel_info_request", delivered.msgType());
        assertArrayEquals(DEALER_ID, delivered.identities().get(0));

        kernel.send(Channel.SHELL, new MessageFactory("kernel-session", "kernel")
                .reply(delivered, "kernel_info_reply", new JsonObject()));

        List<byte[]> replyFrames = receiveAll(shell.socket());
        assertNotNull(replyFrames, "no kernel_info_reply came back");
        Message reply = clientCodec.decode(replyFrames);
        assertEquals("kernel_info_reply", reply.msgType());
        assertEquals(delivered.msgId(), reply.parentMsgId());
    }

    @Test
    void wronglySignedRequestGoesToOnMalformedAndNeverToTheHandler() throws Exception {
        WireCodec wrongKey = new WireCodec(new MessageSigner("hmac-sha256", "not-the-kernel-key"));

        Malformed problem = connect(SocketType.DEALER, Channel.SHELL, socket -> {
            sendAll(socket, wrongKey.encode(request("kernel_info_request")));
            return malformed.poll(ATTEMPT_MS, TimeUnit.MILLISECONDS);
        }).result();

        assertEquals(Channel.SHELL, problem.channel());
        assertTrue(problem.problem().getMessage().contains("invalid signature"), problem.problem().getMessage());
        assertNull(received.poll(), "a wrongly signed message was delivered");
    }

    @Test
    void heartbeatEchoesTheBytesItReceives() throws Exception {
        byte[] ping = {'p', 'i', 'n', 'g', 0, (byte) 0xff};

        byte[] echo = connect(SocketType.REQ, Channel.HEARTBEAT, socket -> {
            socket.send(ping, 0);
            return socket.recv(0);
        }).result();

        assertArrayEquals(ping, echo);
    }

    @Test
    void heartbeatAnswersEachOfTwoClientsWithItsOwnPingsInTurn() throws Exception {
        // a frontend and, say, JupyterHub's culler ping the same kernel: each must get back what it sent
        ZMQ.Socket first = connect(SocketType.REQ, Channel.HEARTBEAT, socket -> echo(socket, "first-0")).socket();
        ZMQ.Socket second = connect(SocketType.REQ, Channel.HEARTBEAT, socket -> echo(socket, "second-0")).socket();

        for (int i = 1; i <= 3; i++) {
            assertEquals("first-" + i, echo(first, "first-" + i));
            assertEquals("second-" + i, echo(second, "second-" + i));
        }
    }

    private static String echo(ZMQ.Socket socket, String ping) {
        socket.send(ping.getBytes(StandardCharsets.UTF_8), 0);
        byte[] answer = socket.recv(0);
        return answer == null ? null : new String(answer, StandardCharsets.UTF_8);
    }

    @Test
    void iopubMessagesReachASubscriber() throws Exception {
        MessageFactory factory = new MessageFactory("kernel-session", "kernel");
        JsonObject busy = new JsonObject();
        busy.addProperty("execution_state", "busy");

        List<byte[]> frames = connect(SocketType.SUB, Channel.IOPUB, socket -> {
            // PUB drops what it sends before the subscription arrives, so publish until one gets through.
            socket.setReceiveTimeOut(50);
            for (long end = System.currentTimeMillis() + ATTEMPT_MS; System.currentTimeMillis() < end; ) {
                kernel.send(Channel.IOPUB, factory.publish(new JsonObject(), "status", busy));
                List<byte[]> arrived = receiveAll(socket);
                if (arrived != null) {
                    return arrived;
                }
            }
            return null;
        }).result();

        Message status = clientCodec.decode(frames);
        assertEquals("status", status.msgType());
        assertEquals("status", new String(status.identities().get(0), StandardCharsets.UTF_8));
        assertEquals("busy", status.content().get("execution_state").getAsString());
    }

    private interface Attempt<T> {
        /** Talks to the kernel over a fresh client socket; null when nothing came back in time. */
        T on(ZMQ.Socket socket) throws Exception;
    }

    private record Connected<T>(ZMQ.Socket socket, T result) {
    }

    /**
     * Runs {@code attempt} over a new client socket. JeroMQ 0.6.0's connecting side now and then stalls in
     * the ZMTP handshake (reproduced against libzmq peers too, a few percent of connects on a busy machine),
     * so a client socket that hears nothing within ATTEMPT_MS is replaced; the kernel side is what is tested.
     */
    private <T> Connected<T> connect(SocketType type, Channel channel, Attempt<T> attempt) throws Exception {
        for (int i = 0; i < ATTEMPTS; i++) {
            ZMQ.Socket socket = client.createSocket(type);
            socket.setLinger(0);
            socket.setReceiveTimeOut(ATTEMPT_MS);
            if (type == SocketType.DEALER) {
                socket.setIdentity(DEALER_ID);
            }
            if (type == SocketType.SUB) {
                socket.subscribe(new byte[0]);
            }
            socket.connect(info.address(channel));
            T result = attempt.on(socket);
            if (result != null) {
                return new Connected<>(socket, result);
            }
            client.destroySocket(socket);
        }
        throw new AssertionError("no answer on " + channel + " after " + ATTEMPTS + " client sockets");
    }

    private static Message request(String type) {
        return new Message(List.of(), Header.create(type, "client-session", "tester"), new JsonObject(),
                new JsonObject(), new JsonObject(), List.of());
    }

    private static void sendAll(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            assertTrue(socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0));
        }
    }

    /** The next multipart message, or null when none arrives within the socket's receive timeout. */
    private static List<byte[]> receiveAll(ZMQ.Socket socket) {
        byte[] first = socket.recv(0);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(List.of(first));
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }
}
