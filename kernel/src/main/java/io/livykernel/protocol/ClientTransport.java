package io.livykernel.protocol;

import io.livykernel.messages.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A frontend's side of a connection file, used to drive a child kernel: shell, control and stdin as
 * DEALER sockets sharing one identity (a kernel sends input_request to the identity that sent the
 * execute_request), iopub as SUB.
 *
 * <p>A kernel's ROUTER silently drops what it sends to an identity whose connection has not finished the
 * ZeroMQ handshake, and JeroMQ's connecting sockets now and then stall in that handshake on loopback. A
 * request/reply on shell proves shell only: a stalled stdin lost an input_request and hung its cell, so
 * {@link #awaitHandshakes} lets the caller check every DEALER before it relies on the connection.
 */
public final class ClientTransport implements AutoCloseable {
    private final ConnectionInfo info;
    private final WireCodec codec;
    private final ZContext context = new ZContext(1);
    private final SocketLoop loop;
    private final byte[] identity;
    /** One monitor per DEALER socket until its handshake is seen; read only by {@link #awaitHandshakes}. */
    private final List<ZMQ.Socket> pendingHandshakes = new ArrayList<>();

    public ClientTransport(ConnectionInfo info, String identity) {
        this.info = info;
        this.codec = new WireCodec(new MessageSigner(info.signatureScheme(), info.key()));
        this.identity = identity.getBytes(StandardCharsets.UTF_8);
        this.loop = new SocketLoop(context, "child-client");
    }

    public void start(MessageHandler handler) {
        loop.add(Channel.SHELL, connect(Channel.SHELL, SocketType.DEALER), true);
        loop.add(Channel.CONTROL, connect(Channel.CONTROL, SocketType.DEALER), true);
        loop.add(Channel.STDIN, connect(Channel.STDIN, SocketType.DEALER), true);
        ZMQ.Socket iopub = connect(Channel.IOPUB, SocketType.SUB);
        iopub.subscribe(new byte[0]);
        loop.add(Channel.IOPUB, iopub, true);
        loop.start(new DecodingReceiver(codec, handler));
    }

    /**
     * Whether the shell, control and stdin connections have all completed the ZeroMQ handshake, waiting
     * up to {@code timeoutMillis} for those that have not yet. Handshakes seen are remembered, so repeated
     * calls wait only for the rest. Not thread-safe: one caller (the one that set the connection up).
     */
    public boolean awaitHandshakes(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!pendingHandshakes.isEmpty()) {
            ZMQ.Socket monitor = pendingHandshakes.get(0);
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            monitor.setReceiveTimeOut((int) Math.max(1, left));
            ZMQ.Event event = ZMQ.Event.recv(monitor);
            if (event != null && event.getEvent() == ZMQ.EVENT_HANDSHAKE_PROTOCOL) {
                pendingHandshakes.remove(0);
                context.destroySocket(monitor);
            } else if (System.nanoTime() >= deadline) {
                return false;
            }
        }
        return true;
    }

    public void send(Channel channel, Message message) {
        loop.send(channel, codec.encode(message));
    }

    private ZMQ.Socket connect(Channel channel, SocketType type) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(0);
        if (type == SocketType.DEALER) {
            socket.setIdentity(identity);
            String address = "inproc://handshake-" + channel + "-" + System.identityHashCode(socket);
            socket.monitor(address, ZMQ.EVENT_HANDSHAKE_PROTOCOL);
            ZMQ.Socket monitor = context.createSocket(SocketType.PAIR);
            monitor.connect(address);
            pendingHandshakes.add(monitor);
        }
        socket.connect(info.address(channel));
        return socket;
    }

    @Override
    public void close() {
        loop.close();
        context.close();
    }
}
