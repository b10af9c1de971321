package io.livykernel.protocol;

import io.livykernel.messages.Message;
import java.nio.charset.StandardCharsets;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A frontend's side of a connection file, used to drive a child kernel: shell, control and stdin as
 * DEALER sockets sharing one identity (a kernel sends input_request to the identity that sent the
 * execute_request), iopub as SUB.
 */
public final class ClientTransport implements AutoCloseable {
    private final ConnectionInfo info;
    private final WireCodec codec;
    private final ZContext context = new ZContext(1);
    private final SocketLoop loop;
    private final byte[] identity;

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

    public void send(Channel channel, Message message) {
        loop.send(channel, codec.encode(message));
    }

    private ZMQ.Socket connect(Channel channel, SocketType type) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(0);
        if (type == SocketType.DEALER) {
            socket.setIdentity(identity);
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
