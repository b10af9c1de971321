package io.livykernel.protocol;

import java.util.List;
import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Echoes heartbeat pings on its own thread, so it answers even while a cell keeps the kernel busy. It is a
 * {@link SocketLoop} of its own: closing it wakes the thread at once. (It used to block in a receive with a
 * 250 ms timeout, and every shutdown waited for that timeout to run out: up to a quarter of a second.)
 */
final class Heartbeat implements AutoCloseable {
    private final SocketLoop loop;

    /** {@code onDeath} hears of a failure that stopped the heartbeat while it should be running. */
    Heartbeat(ZContext context, String address, Consumer<Throwable> onDeath) {
        // A ROUTER that sends each message back as it came (identity first), as ipykernel's heartbeat does: a
        // REP socket may not be read again before it has answered, and the loop reads until nothing is left.
        ZMQ.Socket socket = context.createSocket(SocketType.ROUTER);
        socket.setLinger(0);
        socket.bind(address);
        loop = new SocketLoop(context, "heartbeat");
        loop.add(Channel.HEARTBEAT, socket, true);
        loop.start(new SocketLoop.Receiver() {
            @Override
            public void onFrames(Channel channel, List<byte[]> ping) {
                loop.send(Channel.HEARTBEAT, ping);
            }

            @Override
            public void onFailure(Throwable problem, boolean loopDied) {
                if (loopDied) {
                    onDeath.accept(problem);
                }
            }
        });
    }

    @Override
    public void close() {
        loop.close();
    }
}
