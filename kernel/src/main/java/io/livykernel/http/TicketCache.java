package io.livykernel.http;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a MIT "FILE:" ticket cache (the one {@code kinit} writes) holds, read only so far as to explain a failed
 * login: whose cache it is and until when its ticket-granting ticket is valid. The JDK's login module just says
 * "Unable to obtain password from user" for a missing, expired or foreign ticket alike.
 *
 * @param path      the cache file
 * @param principal the cache's default principal ("alice@REALM"); null when the cache is unreadable
 * @param tgtEnd    when the default principal's newest TGT expires; null when it has none
 */
record TicketCache(Path path, String principal, Instant tgtEnd) {

    /** The cache the JDK reads: the configured one, else KRB5CCNAME, else /tmp/krb5cc_UID. */
    static String location(String configured, Map<String, String> env) {
        String name = configured != null ? configured : env.get("KRB5CCNAME");
        if (name == null) {
            String uid = uid();
            return uid == null ? null : "/tmp/krb5cc_" + uid;
        }
        return name.startsWith("FILE:") ? name.substring(5) : name;
    }

    /** True when the JDK can read a cache of this name (it knows FILE: caches only, not KEYRING:, KCM:, DIR:). */
    static boolean isFileCache(String location) {
        return location != null && !location.matches("^[A-Z]+:.*");
    }

    /** The cache at {@code path}; a missing or unreadable file gives a cache without principal. */
    static TicketCache read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException | SecurityException e) {
            return new TicketCache(path, null, null);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedShort();
            if (version != 0x0503 && version != 0x0504) {
                return new TicketCache(path, null, null);
            }
            if (version == 0x0504) {
                in.skipNBytes(in.readUnsignedShort());
            }
            String owner = principal(in);
            Instant end = null;
            while (in.available() > 0) {
                String client = principal(in);
                String server = principal(in);
                in.skipNBytes(2);                  // key type
                octets(in);                        // key
                in.skipNBytes(8);                  // auth and start time
                Instant endTime = Instant.ofEpochSecond(Integer.toUnsignedLong(in.readInt()));
                in.skipNBytes(4 + 1 + 4);          // renew till, is_skey, flags
                for (int n = in.readInt(), i = 0; i < n; i++) { // addresses
                    in.skipNBytes(2);
                    octets(in);
                }
                for (int n = in.readInt(), i = 0; i < n; i++) { // authorization data
                    in.skipNBytes(2);
                    octets(in);
                }
                octets(in);                        // ticket
                octets(in);                        // second ticket
                if (client.equals(owner) && server.startsWith("krbtgt/") && (end == null || endTime.isAfter(end))) {
                    end = endTime;
                }
            }
            return new TicketCache(path, owner, end);
        } catch (IOException | RuntimeException malformed) {
            return new TicketCache(path, null, null);
        }
    }

    boolean hasValidTgt(Instant now) {
        return tgtEnd != null && tgtEnd.isAfter(now);
    }

    private static String principal(DataInputStream in) throws IOException {
        in.readInt();                              // name type
        int components = in.readInt();
        String realm = new String(octets(in), StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < components; i++) {
            parts.add(new String(octets(in), StandardCharsets.UTF_8));
        }
        return String.join("/", parts) + "@" + realm;
    }

    private static byte[] octets(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new EOFException("truncated ticket cache");
        }
        return in.readNBytes(length);
    }

    private static String uid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid.toString();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }
}
