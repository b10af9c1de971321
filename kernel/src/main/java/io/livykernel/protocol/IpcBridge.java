package io.livykernel.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * Serves one channel of the ipc transport. JeroMQ's "ipc" is emulated over TCP and cannot talk to
 * libzmq's unix-domain sockets, so the kernel listens on the real socket file itself and copies bytes
 * both ways to a JeroMQ socket bound on loopback. ZMTP does not care what carries it, so the peer sees
 * an ordinary ZeroMQ socket.
 */
final class IpcBridge implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IpcBridge.class.getName());

    private final Path path;
    private final int tcpPort;
    private final ServerSocketChannel server;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    IpcBridge(Path path, int tcpPort) throws IOException {
        this.path = path;
        this.tcpPort = tcpPort;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread acceptor = new Thread(this::acceptLoop, "ipc-bridge " + path.getFileName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (running) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.warning("ipc bridge " + path + ": " + e.getMessage());
                }
                return;
            }
            try {
                SocketChannel zmq = SocketChannel.open(new InetSocketAddress("127.0.0.1", tcpPort));
                zmq.socket().setTcpNoDelay(true);
                open.add(client);
                open.add(zmq);
                pump(client, zmq);
                pump(zmq, client);
            } catch (IOException e) {
                // A client quicker than the bind behind this file: drop this connection, and ZeroMQ on the
                // client's side connects again. Ending the loop here had left the file deaf for good.
                LOG.fine(() -> "ipc bridge " + path + ": " + e.getMessage() + "; the client will reconnect");
                closeQuietly(client);
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread t = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // the other side went away; closing both ends below is all there is to do
            }
            closeQuietly(from);
            closeQuietly(to);
        }, "ipc-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
        open.remove(channel);
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort on shutdown
        }
        open.forEach(this::closeQuietly);
    }
}
