package io.livykernel.protocol;

import java.util.logging.Logger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** Echoes heartbeat pings on its own thread, so it answers even while a cell keeps the kernel busy. */
final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    private final ZMQ.Socket socket;
    private final Thread thread;
    private final java.util.function.Consumer<Throwable> onDeath;
    private volatile boolean running = true;

    /** {@code onDeath} hears of a failure that stopped the heartbeat while it should be running. */
    Heartbeat(ZContext context, String address, java.util.function.Consumer<Throwable> onDeath) {
        this.onDeath = onDeath;
        socket = context.createSocket(SocketType.REP);
        socket.setReceiveTimeOut(250);
        socket.setLinger(0);
        socket.bind(address);
        thread = new Thread(this::run, "heartbeat");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            byte[] ping;
            try {
                ping = socket.recv(0);
            } catch (Throwable e) {
                if (running) {
                    LOG.severe("heartbeat stopped: " + e);
                    onDeath.accept(e);
                }
                return;
            }
            if (ping != null) {
                socket.send(ping, 0);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
