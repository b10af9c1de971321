package io.livykernel.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC signatures over a message's four JSON frames, as the connection file's signature_scheme says.
 * An empty key disables signing: signatures are empty and every message verifies, as the spec says.
 */
public final class MessageSigner {
    private final SecretKeySpec key;
    private final String algorithm;
    /** Mac objects are not thread-safe but costly to create; each thread keeps one. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public MessageSigner(String signatureScheme, String key) {
        if (key == null || key.isEmpty()) {
            this.key = null;
            this.algorithm = null;
            return;
        }
        this.algorithm = switch (signatureScheme == null ? "hmac-sha256" : signatureScheme) {
            case "hmac-sha256" -> "HmacSHA256";
            case "hmac-sha512" -> "HmacSHA512";
            case "hmac-sha1" -> "HmacSHA1";
            case "hmac-md5" -> "HmacMD5";
            default -> throw new IllegalArgumentException("unsupported signature_scheme '" + signatureScheme
                    + "' (use hmac-sha256)");
        };
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm);
    }

    public boolean enabled() {
        return key != null;
    }

    /** Hex signature of the frames (header, parent_header, metadata, content); empty when signing is off. */
    public String sign(List<byte[]> jsonFrames) {
        if (key == null) {
            return "";
        }
        Mac mac = macs.get();
        for (byte[] frame : jsonFrames) {
            mac.update(frame);
        }
        return HexFormat.of().formatHex(mac.doFinal());
    }

    /** Constant-time check of a received signature. */
    public boolean verify(byte[] signature, List<byte[]> jsonFrames) {
        if (key == null) {
            return true;
        }
        byte[] expected = sign(jsonFrames).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC " + algorithm + " unavailable", e);
        }
    }
}
