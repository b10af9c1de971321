package io.livykernel.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A token a command printed, and when it expires (null: it did not say). The output is either the bare token or
 * JSON as token tools print it: {@code az account get-access-token}'s {"accessToken", "expiresOn", "expires_on"},
 * an OAuth token endpoint's {"access_token", "expires_in"}, or {"token", "expirationTimestamp"}.
 * {@link #toString()} hides the token.
 */
record IssuedToken(String token, Instant expiresAt) {
    private static final String[] TOKEN_KEYS = {"accessToken", "access_token", "token"};
    // az prints expiresOn in local time without a zone, e.g. "2026-12-04 21:30:00.000000".
    private static final DateTimeFormatter AZ_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    /**
     * Reads {@code output} printed at {@code now}; IllegalArgumentException (whose message never holds the output)
     * when it is JSON without a token.
     */
    static IssuedToken parse(String output, Instant now, ZoneId localZone) {
        String text = output.strip();
        if (!text.startsWith("{")) {
            return new IssuedToken(text, null);
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(text).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("printed something that starts like JSON but is not");
        }
        for (String key : TOKEN_KEYS) {
            if (json.get(key) instanceof JsonPrimitive p && p.isString()) {
                return new IssuedToken(p.getAsString().strip(), expiry(json, now, localZone));
            }
        }
        throw new IllegalArgumentException("printed JSON without \"accessToken\", \"access_token\" or \"token\"");
    }

    /** The expiry the JSON states, preferring the unambiguous forms; null when it states none or none readable. */
    private static Instant expiry(JsonObject json, Instant now, ZoneId localZone) {
        Long epoch = number(json.get("expires_on"));
        if (epoch != null) {
            return Instant.ofEpochSecond(epoch);
        }
        Long in = number(json.get("expires_in"));
        if (in != null) {
            return now.plusSeconds(in);
        }
        for (String key : new String[] {"expiresOn", "expirationTimestamp"}) {
            if (json.get(key) instanceof JsonPrimitive p && p.isString()) {
                String value = p.getAsString().strip();
                try {
                    return OffsetDateTime.parse(value).toInstant();
                } catch (DateTimeParseException notIso) {
                    try {
                        return LocalDateTime.parse(value, AZ_LOCAL).atZone(localZone).toInstant();
                    } catch (DateTimeParseException unreadable) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private static Long number(JsonElement e) {
        if (e instanceof JsonPrimitive p) {
            try {
                return p.isNumber() ? p.getAsLong() : Long.parseLong(p.getAsString().strip());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "IssuedToken[***, expiresAt=" + expiresAt + "]";
    }
}
