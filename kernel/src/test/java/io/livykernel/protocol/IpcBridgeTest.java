package io.livykernel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frontend on the ipc transport may connect to the socket file before the kernel's loopback socket behind
 * it listens. That connection fails, and the next one (ZeroMQ reconnects on its own) must be served: a bridge
 * that stopped accepting after the first failure left the kernel deaf for good.
 */
class IpcBridgeTest {
    @TempDir
    Path dir;

    @Test
    void aClientThatCameBeforeTheKernelListenedIsServedWhenItConnectsAgain() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), this::connectEarlyThenAgain);
    }

    private void connectEarlyThenAgain() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free again: nothing listens behind the bridge yet
        }
        Path file = dir.resolve("kernel-ipc-1");
        try (IpcBridge bridge = new IpcBridge(file, port)) {
            try (SocketChannel early = connect(file)) {
                assertEquals(-1, early.read(ByteBuffer.allocate(1)), "the early connection is closed, not kept");
            }
            try (ServerSocket kernel = new ServerSocket(port, 5, InetAddress.getLoopbackAddress());
                 SocketChannel client = connect(file)) {
                client.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
                try (Socket behind = kernel.accept()) {
                    InputStream in = behind.getInputStream();
                    assertEquals("ping", new String(in.readNBytes(4), StandardCharsets.US_ASCII));
                    OutputStream out = behind.getOutputStream();
                    out.write("pong".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    ByteBuffer answer = ByteBuffer.allocate(4);
                    while (answer.hasRemaining() && client.read(answer) >= 0) {
                        // read until the four bytes are in
                    }
                    assertTrue(!answer.hasRemaining());
                    assertEquals("pong", new String(answer.array(), StandardCharsets.US_ASCII));
                }
            }
        }
    }

    private static SocketChannel connect(Path file) throws Exception {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(file));
        return channel;
    }
}
