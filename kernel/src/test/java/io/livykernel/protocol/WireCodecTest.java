package io.livykernel.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.messages.Header;
import io.livykernel.messages.Json;
import io.livykernel.messages.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {
    private static final String KEY = "secret-key";
    private static final String HEADER = "{\"msg_id\":\"m-1\",\"session\":\"s-1\",\"username\":\"alice\","
            + "\"date\":\"2024-01-01T00:00:00.000000Z\",\"msg_type\":\"execute_request\",\"version\":\"5.4\"}";
    private static final String CONTENT = "{\"code\":\"print('\u00e9\u2713')\"}";
    /**
     * Computed by CPython for the frames HEADER, "{}", "{}", CONTENT (UTF-8):
     * h = hmac.new(b"secret-key", digestmod=hashlib.sha256); h.update(frame) for each; h.hexdigest().
     */
    private static final String PYTHON_SIGNATURE = "4e54facb658a9d2fdd824b7f21320cee4754894f4eacc5d1d8df8d9c2b386cfa";
    private static final byte[] CLIENT_ID = bytes("client-7");

    private final WireCodec codec = new WireCodec(new MessageSigner("hmac-sha256", KEY));

    @Test
    void signatureIsTheHexHmacSha256ThatPythonComputesForTheSameFrames() {
        String signature = new MessageSigner("hmac-sha256", KEY).sign(jsonFrames(HEADER, CONTENT));

        assertEquals(PYTHON_SIGNATURE, signature);
    }

    @Test
    void decodesAMessageThatAPythonClientSigned() throws MalformedMessageException {
        Message m = codec.decode(frames(PYTHON_SIGNATURE, HEADER, CONTENT));

        assertEquals("execute_request", m.msgType());
        assertEquals("m-1", m.msgId());
        assertEquals("print('\u00e9\u2713')", Json.string(m.content(), "code", null));
        assertEquals(1, m.identities().size());
        assertArrayEquals(CLIENT_ID, m.identities().get(0));
        assertTrue(m.buffers().isEmpty());
    }

    @Test
    void roundTripKeepsIdentitiesBuffersAndUnicode() throws MalformedMessageException {
        JsonObject content = new JsonObject();
        content.addProperty("text", "Gr\u00fc\u00dfe \u65e5\u672c \ud83d\ude80");
        JsonObject parent = Header.create("execute_request", "s-0", "bob").toJson();
        byte[] binaryIdentity = {0, 1, (byte) 0xff, 42};
        byte[] buffer = {(byte) 0xca, (byte) 0xfe, 0, (byte) 0xba, (byte) 0xbe};
        Message sent = new Message(List.of(bytes("router-id"), binaryIdentity), Header.create("display_data", "s-1", "k"),
                parent, new JsonObject(), content, List.of(buffer, new byte[0]));

        Message received = new WireCodec(new MessageSigner("hmac-sha256", KEY)).decode(codec.encode(sent));

        assertEquals(2, received.identities().size());
        assertArrayEquals(bytes("router-id"), received.identities().get(0));
        assertArrayEquals(binaryIdentity, received.identities().get(1));
        assertEquals(sent.header(), received.header());
        assertEquals(parent, received.parentHeader());
        assertEquals(content, received.content());
        assertEquals(2, received.buffers().size());
        assertArrayEquals(buffer, received.buffers().get(0));
        assertArrayEquals(new byte[0], received.buffers().get(1));
    }

    @Test
    void encodePutsIdentitiesDelimiterSignatureFourJsonFramesThenBuffers() {
        Message sent = new Message(List.of(CLIENT_ID), Header.create("status", "s", "k"), new JsonObject(),
                new JsonObject(), new JsonObject(), List.of(bytes("buf")));

        List<byte[]> frames = codec.encode(sent);

        assertEquals(8, frames.size());
        assertArrayEquals(CLIENT_ID, frames.get(0));
        assertEquals("<IDS|MSG>", text(frames.get(1)));
        assertEquals(new MessageSigner("hmac-sha256", KEY).sign(frames.subList(3, 7)), text(frames.get(2)));
        assertEquals("status", Json.parseObject(text(frames.get(3))).get("msg_type").getAsString());
        assertEquals("{}", text(frames.get(4)));
        assertArrayEquals(bytes("buf"), frames.get(7));
    }

    @Test
    void refusesAMessageSignedWithAnotherKey() {
        String foreign = new MessageSigner("hmac-sha256", "other-key").sign(jsonFrames(HEADER, CONTENT));

        assertRefused(frames(foreign, HEADER, CONTENT), "invalid signature");
    }

    @Test
    void refusesAMessageWhoseContentWasChangedAfterSigning() {
        assertRefused(frames(PYTHON_SIGNATURE, HEADER, "{\"code\":\"import os\"}"), "invalid signature");
    }

    @Test
    void refusesAMessageWithAnEmptySignature() {
        assertRefused(frames("", HEADER, CONTENT), "unsigned");
    }

    @Test
    void refusesATruncatedMessage() {
        List<byte[]> frames = frames(PYTHON_SIGNATURE, HEADER, CONTENT);
        frames.remove(frames.size() - 1);

        MalformedMessageException e = assertRefused(frames, "truncated");
        assertArrayEquals(CLIENT_ID, e.identities().get(0));
    }

    @Test
    void refusesFramesWithoutDelimiter() {
        List<byte[]> frames = frames(PYTHON_SIGNATURE, HEADER, CONTENT);
        frames.remove(1);

        assertRefused(frames, "delimiter");
    }

    @Test
    void unreadableHeaderIsRefusedWithoutAHeader() {
        String header = "{\"msg_id\": \"m-2\", \"msg_type\": ";

        MalformedMessageException e = assertRefused(frames(sign(header, CONTENT), header, CONTENT), "unreadable header");
        assertNull(e.header());
    }

    @Test
    void unreadableContentIsRefusedButCarriesTheHeaderSoTheKernelCanReply() {
        String content = "{\"code\": \"1 +";

        MalformedMessageException e = assertRefused(frames(sign(HEADER, content), HEADER, content), "unreadable JSON");
        assertNotNull(e.header());
        assertEquals("execute_request", e.header().msgType());
        assertEquals("m-1", e.header().msgId());
        assertArrayEquals(CLIENT_ID, e.identities().get(0));
    }

    @Test
    void refusesTheSameSignedFramesTheSecondTime() throws MalformedMessageException {
        codec.decode(frames(PYTHON_SIGNATURE, HEADER, CONTENT));

        assertRefused(frames(PYTHON_SIGNATURE, HEADER, CONTENT), "replayed");
    }

    @Test
    void emptyKeyDisablesSigningAndAcceptsAnySignature() throws MalformedMessageException {
        WireCodec unsigned = new WireCodec(new MessageSigner("hmac-sha256", ""));
        Message sent = new Message(List.of(), Header.create("status", "s", "k"), new JsonObject(), new JsonObject(),
                new JsonObject(), List.of());

        assertEquals("", text(unsigned.encode(sent).get(1)));
        assertEquals("m-1", unsigned.decode(frames("not-a-signature", HEADER, CONTENT)).msgId());
        assertEquals("m-1", unsigned.decode(frames("", HEADER, CONTENT)).msgId());
    }

    @Test
    void signerRejectsAnUnknownScheme() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MessageSigner("hmac-sha3", KEY));

        assertTrue(e.getMessage().contains("hmac-sha3"), e.getMessage());
    }

    private MalformedMessageException assertRefused(List<byte[]> frames, String reason) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> codec.decode(frames));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
        return e;
    }

    private static String sign(String header, String content) {
        return new MessageSigner("hmac-sha256", KEY).sign(jsonFrames(header, content));
    }

    private static List<byte[]> jsonFrames(String header, String content) {
        return List.of(bytes(header), bytes("{}"), bytes("{}"), bytes(content));
    }

    /** A frontend's frames as a ROUTER socket receives them: identity, delimiter, signature, JSON. */
    private static List<byte[]> frames(String signature, String header, String content) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(CLIENT_ID);
        frames.add(bytes("<IDS|MSG>"));
        frames.add(bytes(signature));
        frames.addAll(jsonFrames(header, content));
        return frames;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
