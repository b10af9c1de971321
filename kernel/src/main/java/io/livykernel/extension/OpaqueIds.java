package io.livykernel.extension;

import java.util.regex.Pattern;

/**
 * Session, statement and batch ids as the user types them. Ids are opaque text (Apache Livy's are numbers,
 * Lighter's UUIDs) and are never read as numbers; they only have to be safe as one segment of a URL path.
 */
public final class OpaqueIds {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private OpaqueIds() {
    }

    /** The id in {@code text} (surrounding blanks dropped), or null when it cannot be a server's id. */
    public static String parse(String text) {
        if (text == null) {
            return null;
        }
        String id = text.trim();
        return ID.matcher(id).matches() ? id : null;
    }

    /** What a valid id looks like, for usage errors. */
    public static final String SHAPE = "a session id as the server lists it, e.g. 3 on Apache Livy or a UUID on Lighter";
}
