package io.livykernel.protocol;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * One thread that owns a set of ZeroMQ sockets: it receives from them and performs every send.
 * ZeroMQ sockets must not be shared between threads, so other threads hand outgoing frames to
 * {@link #send} (thread-safe), which queues them and wakes the loop through an inproc pair.
 * Frames leave in the order {@code send} was called, which keeps a request's outputs, reply and
 * idle status in order across channels.
 */
public final class SocketLoop implements AutoCloseable {
    /** Receives the frames that arrive on a socket; called on the loop thread, so it must not block. */
    public interface Receiver {
        void onFrames(Channel channel, List<byte[]> frames);

        /**
         * {@link #onFrames} threw {@code problem} (the message was dropped and the loop goes on), or, with
         * {@code loopDied}, the loop itself ended on it and nothing is sent or received any more.
         */
        default void onFailure(Throwable problem, boolean loopDied) {
        }
    }

    private record Outgoing(Channel channel, List<byte[]> frames) {
    }

    private static final Logger LOG = Logger.getLogger(SocketLoop.class.getName());
    private static final byte[] WAKE = new byte[0];

    private final ZContext context;
    private final String name;
    private final Map<Channel, ZMQ.Socket> sockets = new EnumMap<>(Channel.class);
    private final List<Channel> receiving = new ArrayList<>();
    private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Object wakeLock = new Object();
    private final ZMQ.Socket wakeReceiver;
    private final ZMQ.Socket wakeSender;
    private volatile boolean running = true;
    private Thread thread;

    public SocketLoop(ZContext context, String name) {
        this.context = context;
        this.name = name;
        String wakeAddress = "inproc://wake-" + name + "-" + System.identityHashCode(this);
        wakeReceiver = context.createSocket(SocketType.PAIR);
        wakeReceiver.bind(wakeAddress);
        wakeSender = context.createSocket(SocketType.PAIR);
        wakeSender.connect(wakeAddress);
    }

    /** Adds a socket before {@link #start}; {@code receive} says whether the loop reads from it. */
    public void add(Channel channel, ZMQ.Socket socket, boolean receive) {
        socket.setSendTimeOut(2000);
        sockets.put(channel, socket);
        if (receive) {
            receiving.add(channel);
        }
    }

    public void start(Receiver receiver) {
        thread = new Thread(() -> run(receiver), name);
        thread.setDaemon(true);
        thread.start();
    }

    public void send(Channel channel, List<byte[]> frames) {
        if (!running) {
            LOG.fine(() -> name + ": dropping a " + channel + " message sent after close");
            return;
        }
        outbox.add(new Outgoing(channel, frames));
        if (wakePending.compareAndSet(false, true)) {
            synchronized (wakeLock) {
                wakeSender.send(WAKE, ZMQ.DONTWAIT);
            }
        }
    }

    private void run(Receiver receiver) {
        ZMQ.Poller poller = context.createPoller(receiving.size() + 1);
        poller.register(wakeReceiver, ZMQ.Poller.POLLIN);
        for (Channel channel : receiving) {
            poller.register(sockets.get(channel), ZMQ.Poller.POLLIN);
        }
        try {
            while (running && !Thread.currentThread().isInterrupted()) {
                if (poller.poll(-1) < 0) {
                    break;
                }
                if (poller.pollin(0)) {
                    while (wakeReceiver.recv(ZMQ.DONTWAIT) != null) {
                        // drained; the outbox below holds the work
                    }
                    wakePending.set(false);
                }
                flushOutbox();
                for (int i = 0; i < receiving.size(); i++) {
                    if (poller.pollin(i + 1)) {
                        Channel channel = receiving.get(i);
                        receiveAll(channel, sockets.get(channel), receiver);
                    }
                }
            }
        } catch (Throwable e) {
            if (running) {
                LOG.log(Level.SEVERE, name + ": socket loop failed", e);
                running = false;
                receiver.onFailure(e, true);
            }
        } finally {
            flushOutbox();
            poller.close();
        }
    }

    private void receiveAll(Channel channel, ZMQ.Socket socket, Receiver receiver) {
        while (true) {
            byte[] first = socket.recv(ZMQ.DONTWAIT);
            if (first == null) {
                return;
            }
            List<byte[]> frames = new ArrayList<>(8);
            frames.add(first);
            while (socket.hasReceiveMore()) {
                frames.add(socket.recv(0));
            }
            try {
                receiver.onFrames(channel, frames);
            } catch (Throwable e) { // Errors too: this thread is the only one that reads and writes the sockets
                LOG.log(Level.SEVERE, name + ": handler failed on a " + channel + " message (dropped)", e);
                receiver.onFailure(e, false);
            }
        }
    }

    private void flushOutbox() {
        Outgoing out;
        while ((out = outbox.poll()) != null) {
            ZMQ.Socket socket = sockets.get(out.channel());
            if (socket == null) {
                LOG.warning(name + ": no socket for channel " + out.channel());
                continue;
            }
            List<byte[]> frames = out.frames();
            boolean sent = true;
            for (int i = 0; i < frames.size() && sent; i++) {
                sent = socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
            }
            if (!sent) {
                LOG.warning(name + ": could not send on " + out.channel() + " (peer gone or queue full)");
            }
        }
    }

    /** Stops the loop after sending what was queued, then closes its sockets. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        synchronized (wakeLock) {
            wakeSender.send(WAKE, ZMQ.DONTWAIT);
        }
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ZMQ.Socket socket : sockets.values()) {
            socket.setLinger(500);
            context.destroySocket(socket);
        }
        context.destroySocket(wakeSender);
        context.destroySocket(wakeReceiver);
    }
}
