package io.livykernel.protocol;

import java.util.List;

/** Turns the frames a socket loop receives into messages for a {@link MessageHandler}, failures included. */
record DecodingReceiver(WireCodec codec, MessageHandler handler) implements SocketLoop.Receiver {

    @Override
    public void onFrames(Channel channel, List<byte[]> frames) {
        try {
            handler.onMessage(channel, codec.decode(frames));
        } catch (MalformedMessageException e) {
            handler.onMalformed(channel, e);
        }
    }

    @Override
    public void onFailure(Throwable problem, boolean loopDied) {
        handler.onTransportFailure(problem, loopDied);
    }
}
