package io.livykernel.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * One thread that owns a set of ZeroMQ sockets: it receives from them and performs every send.
 * ZeroMQ sockets must not be shared between threads, so other threads hand outgoing frames to
 * {@link #send} (thread-safe), which queues them and wakes the loop through a pipe (cheaper than the inproc
 * ZeroMQ pair it replaced: no socket to check and no message to decode per wake).
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
    private static final byte[] WAKE = {1};

    private final ZContext context;
    private final String name;
    private final Map<Channel, ZMQ.Socket> sockets = new EnumMap<>(Channel.class);
    private final List<Channel> receiving = new ArrayList<>();
    private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Pipe wake;
    /** Where the loop thread reads wakes into (only it reads them). */
    private final ByteBuffer wakesRead = ByteBuffer.allocate(64);
    private volatile boolean running = true;
    private Thread thread;

    public SocketLoop(ZContext context, String name) {
        this.context = context;
        this.name = name;
        try {
            wake = Pipe.open();
            wake.source().configureBlocking(false);
            wake.sink().configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the pipe that wakes " + name, e);
        }
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
            wakeLoop();
        }
    }

    private void wakeLoop() {
        try {
            wake.sink().write(ByteBuffer.wrap(WAKE)); // a full pipe has woken the loop already
        } catch (IOException e) {
            LOG.log(Level.FINE, name + ": could not wake the loop (closed)", e);
        }
    }

    /**
     * Waits on a selector of its own for the wake pipe and each receiving socket's mailbox, then sends what
     * is queued and reads every receiving socket until it is empty. A mailbox signals only that something
     * may have changed (a send can consume that signal too), so every socket is read on every pass, never
     * only those that signalled. (JeroMQ's own Poller rebuilt its registrations and asked every socket
     * twice per wake; this loop does the same work with half the loop thread's CPU.)
     */
    private void run(Receiver receiver) {
        try (Selector selector = Selector.open()) {
            SelectionKey wakeKey = wake.source().register(selector, SelectionKey.OP_READ);
            for (Channel channel : receiving) {
                sockets.get(channel).getFD().register(selector, SelectionKey.OP_READ);
            }
            while (running && !Thread.currentThread().isInterrupted()) {
                selector.select();
                if (selector.selectedKeys().remove(wakeKey)) {
                    drainWakes();
                    wakePending.set(false);
                }
                selector.selectedKeys().clear();
                flushOutbox();
                for (Channel channel : receiving) {
                    receiveAll(channel, sockets.get(channel), receiver);
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
        }
    }

    private void drainWakes() throws IOException {
        while (wake.source().read(wakesRead) > 0) {
            wakesRead.clear(); // drained; the outbox holds the work
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
        wakeLoop();
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
        try {
            wake.sink().close();
            wake.source().close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
