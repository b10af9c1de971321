package io.livykernel.protocol;

import com.google.gson.JsonObject;
import io.livykernel.messages.Header;
import io.livykernel.messages.Json;
import io.livykernel.messages.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns messages into ZeroMQ multipart frames and back:
 * {@code [identity..., "<IDS|MSG>", signature, header, parent_header, metadata, content, buffer...]}.
 * Every frame received is checked: delimiter, signature (constant time), replay, JSON.
 */
public final class WireCodec {
    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final int REPLAY_MEMORY = 1 << 16;

    private final MessageSigner signer;
    private final ReplayGuard replayGuard = new ReplayGuard(REPLAY_MEMORY);

    public WireCodec(MessageSigner signer) {
        this.signer = signer;
    }

    public List<byte[]> encode(Message message) {
        List<byte[]> json = List.of(
                utf8(Json.toJson(message.header().toJson())),
                utf8(Json.toJson(message.parentHeader())),
                utf8(Json.toJson(message.metadata())),
                utf8(Json.toJson(message.content())));
        List<byte[]> frames = new ArrayList<>(message.identities().size() + 6 + message.buffers().size());
        frames.addAll(message.identities());
        frames.add(DELIMITER);
        frames.add(signer.sign(json).getBytes(StandardCharsets.US_ASCII));
        frames.addAll(json);
        frames.addAll(message.buffers());
        return frames;
    }

    public Message decode(List<byte[]> frames) throws MalformedMessageException {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0) {
            throw new MalformedMessageException("no <IDS|MSG> delimiter among " + frames.size() + " frames", null, null);
        }
        List<byte[]> identities = frames.subList(0, delimiter);
        if (frames.size() < delimiter + 6) {
            throw new MalformedMessageException("truncated message: " + (frames.size() - delimiter - 1)
                    + " frames after the delimiter, 5 needed", identities, null);
        }
        byte[] signature = frames.get(delimiter + 1);
        List<byte[]> json = frames.subList(delimiter + 2, delimiter + 6);
        if (signer.enabled()) {
            if (signature.length == 0) {
                throw new MalformedMessageException("unsigned message refused", identities, null);
            }
            if (!signer.verify(signature, json)) {
                throw new MalformedMessageException("invalid signature", identities, null);
            }
            if (!replayGuard.firstSighting(new String(signature, StandardCharsets.US_ASCII))) {
                throw new MalformedMessageException("replayed message refused (signature already seen)",
                        identities, null);
            }
        }
        Header header;
        try {
            header = Header.fromJson(Json.parseObject(text(json.get(0))));
        } catch (RuntimeException e) {
            throw new MalformedMessageException("unreadable header: " + e.getMessage(), identities, null);
        }
        try {
            JsonObject parent = Json.parseObject(text(json.get(1)));
            JsonObject metadata = Json.parseObject(text(json.get(2)));
            JsonObject content = Json.parseObject(text(json.get(3)));
            return new Message(identities, header, parent, metadata, content,
                    frames.subList(delimiter + 6, frames.size()));
        } catch (RuntimeException e) {
            throw new MalformedMessageException("unreadable JSON in " + header.msgType() + ": " + e.getMessage(),
                    identities, header);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
