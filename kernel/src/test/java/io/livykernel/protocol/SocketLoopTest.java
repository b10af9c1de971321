package io.livykernel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The socket thread is the only one that reads and writes: whatever a handler throws must not end it, and
 * nothing sent from other threads or received meanwhile may be lost or wait for the next message to move.
 */
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

    @Test
    void everyMessageSentFromOtherThreadsWhileTheLoopEchoesArrivesInEachSendersOrder() throws Exception {
        // a cell's outputs are sent from the execution lane while replies come in and are answered: a wake
        // that is lost leaves a message queued until the next one happens to arrive
        int senders = 4;
        int perSender = 2000;
        try (ZContext context = new ZContext(1)) {
            SocketLoop loop = new SocketLoop(context, "test-loop");
            ZMQ.Socket toPeer = context.createSocket(SocketType.PUSH);
            toPeer.bind("inproc://socket-loop-out");
            ZMQ.Socket fromPeer = context.createSocket(SocketType.PULL);
            fromPeer.bind("inproc://socket-loop-in");
            loop.add(Channel.IOPUB, toPeer, false);
            loop.add(Channel.SHELL, fromPeer, true);
            AtomicInteger echoed = new AtomicInteger();
            loop.start((channel, frames) -> {
                echoed.incrementAndGet();
                loop.send(Channel.IOPUB, frames);
            });
            ZMQ.Socket peerIn = context.createSocket(SocketType.PULL);
            peerIn.connect("inproc://socket-loop-out");
            peerIn.setReceiveTimeOut(20_000);
            ZMQ.Socket peerOut = context.createSocket(SocketType.PUSH);
            peerOut.connect("inproc://socket-loop-in");

            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                String sender = "s" + t;
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < perSender; i++) {
                        loop.send(Channel.IOPUB, List.of((sender + ":" + i).getBytes(StandardCharsets.UTF_8)));
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (int i = 0; i < perSender; i++) {
                peerOut.send("echo:" + i);
            }
            int[] next = new int[senders + 1];
            for (int n = 0; n < (senders + 1) * perSender; n++) {
                byte[] got = peerIn.recv(0);
                assertNotNull(got, "message " + n + " never arrived (" + echoed.get() + " echoed)");
                String[] parts = new String(got, StandardCharsets.UTF_8).split(":");
                int who = parts[0].equals("echo") ? senders : Integer.parseInt(parts[0].substring(1));
                assertEquals(next[who]++, Integer.parseInt(parts[1]), "out of order from " + parts[0]);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            loop.close();
            context.destroySocket(peerIn);
            context.destroySocket(peerOut);
        }
    }
}
