package io.livykernel.protocol;

import io.livykernel.messages.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The kernel's side of a connection file: binds shell and control (ROUTER), iopub (PUB), stdin (ROUTER)
 * and heartbeat (REP), decodes and verifies what arrives, and signs what leaves. Nothing above this
 * class sees a ZeroMQ frame.
 */
public final class KernelTransport implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KernelTransport.class.getName());

    private final ConnectionInfo info;
    private final WireCodec codec;
    private final ZContext context = new ZContext(1);
    private final SocketLoop loop;
    private final List<IpcBridge> bridges = new ArrayList<>();
    private Heartbeat heartbeat;

    public KernelTransport(ConnectionInfo info) {
        this.info = info;
        this.codec = new WireCodec(new MessageSigner(info.signatureScheme(), info.key()));
        this.loop = new SocketLoop(context, "kernel-sockets");
    }

    /** Binds every channel and starts serving; messages go to {@code handler}. */
    public void start(MessageHandler handler) throws IOException {
        loop.add(Channel.SHELL, bind(Channel.SHELL, SocketType.ROUTER), true);
        loop.add(Channel.CONTROL, bind(Channel.CONTROL, SocketType.ROUTER), true);
        loop.add(Channel.STDIN, bind(Channel.STDIN, SocketType.ROUTER), true);
        loop.add(Channel.IOPUB, bind(Channel.IOPUB, SocketType.PUB), false);
        heartbeat = new Heartbeat(context, bindAddress(Channel.HEARTBEAT), e -> handler.onTransportFailure(e, true));
        loop.start(new DecodingReceiver(codec, handler));
    }

    public void send(Channel channel, Message message) {
        loop.send(channel, codec.encode(message));
    }

    private ZMQ.Socket bind(Channel channel, SocketType type) throws IOException {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(500);
        if (type == SocketType.ROUTER) {
            socket.setRouterHandover(true);
        }
        socket.bind(bindAddress(channel));
        return socket;
    }

    /** For tcp the connection file's own address; for ipc a loopback port behind a unix-socket bridge. */
    private String bindAddress(Channel channel) throws IOException {
        if (!info.transport().equals("ipc")) {
            return info.address(channel);
        }
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path socketFile = Path.of(info.ip() + "-" + info.port(channel));
        bridges.add(new IpcBridge(socketFile, port));
        LOG.fine(() -> channel + " on ipc " + socketFile + " via loopback port " + port);
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        loop.close();
        if (heartbeat != null) {
            heartbeat.close();
        }
        bridges.forEach(IpcBridge::close);
        context.close();
    }
}
