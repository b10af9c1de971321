package io.livykernel.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.messages.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A kernel's ROUTER drops what it sends to a peer whose handshake has not finished, so the client must be
 * able to tell that every DEALER connection is really up: a stalled stdin lost an input_request and hung
 * the cell for good.
 */
class ClientTransportTest {
    private static final MessageHandler IGNORE = new MessageHandler() {
        @Override
        public void onMessage(Channel channel, Message message) {
        }

        @Override
        public void onMalformed(Channel channel, MalformedMessageException problem) {
        }
    };

    @Test
    void handshakesAreSeenWhenTheKernelSideSpeaksZeroMq() throws Exception {
        try (ZContext kernelSide = new ZContext(1)) {
            ConnectionInfo info = new ConnectionInfo("tcp", "127.0.0.1", bind(kernelSide, SocketType.ROUTER),
                    bind(kernelSide, SocketType.PUB), bind(kernelSide, SocketType.ROUTER),
                    bind(kernelSide, SocketType.ROUTER), freePort(), "hmac-sha256", "key");
            try (ClientTransport client = new ClientTransport(info, "frontend")) {
                client.start(IGNORE);
                assertTrue(client.awaitHandshakes(10_000));
                assertTrue(client.awaitHandshakes(0), "handshakes seen once are remembered");
            }
        }
    }

    @Test
    void aConnectionThatNeverFinishesItsHandshakeIsReportedNotTrusted() throws Exception {
        // stdin's port accepts TCP and then says nothing, as a stalled handshake looks from the client
        try (ZContext kernelSide = new ZContext(1); ServerSocket silent = new ServerSocket(0, 5,
                InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ConnectionInfo info = new ConnectionInfo("tcp", "127.0.0.1", bind(kernelSide, SocketType.ROUTER),
                    bind(kernelSide, SocketType.PUB), silent.getLocalPort(),
                    bind(kernelSide, SocketType.ROUTER), freePort(), "hmac-sha256", "key");
            try (ClientTransport client = new ClientTransport(info, "frontend")) {
                client.start(IGNORE);
                assertFalse(client.awaitHandshakes(1_000));
            }
        }
    }

    private static int bind(ZContext context, SocketType type) {
        ZMQ.Socket socket = context.createSocket(type);
        return socket.bindToRandomPort("tcp://127.0.0.1");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
