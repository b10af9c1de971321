package io.livykernel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** The socket thread is the only one that reads and writes: whatever a handler throws must not end it. */
class SocketLoopTest {

    @Test
    void anErrorFromTheHandlerDropsThatMessageReportsItAndTheLoopGoesOnReceiving() throws Exception {
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
        BlockingQueue<Boolean> loopDied = new LinkedBlockingQueue<>();
        try (ZContext context = new ZContext(1)) {
            SocketLoop loop = new SocketLoop(context, "test-loop");
            ZMQ.Socket server = context.createSocket(SocketType.PULL);
            server.bind("inproc://socket-loop-test");
            loop.add(Channel.SHELL, server, true);
            loop.start(new SocketLoop.Receiver() {
                @Override
                public void onFrames(Channel channel, List<byte[]> frames) {
                    String text = new String(frames.get(0), StandardCharsets.UTF_8);
                    if (text.equals("overflow")) {
                        throw new StackOverflowError();
                    }
                    handled.add(text);
                }

                @Override
                public void onFailure(Throwable problem, boolean died) {
                    failures.add(problem);
                    loopDied.add(died);
                }
            });
            ZMQ.Socket client = context.createSocket(SocketType.PUSH);
            client.connect("inproc://socket-loop-test");
            client.send("overflow");
            client.send("next");

            assertEquals("next", handled.poll(20, TimeUnit.SECONDS));
            assertInstanceOf(StackOverflowError.class, failures.poll(1, TimeUnit.SECONDS));
            assertFalse(loopDied.poll(1, TimeUnit.SECONDS));
            loop.close();
            context.destroySocket(client);
        }
    }
}
