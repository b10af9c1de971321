package io.livykernel.batch;

import com.google.gson.JsonObject;
import java.util.Set;

/**
 * The %%configure rules of the magics (keys, types, locked keys, secret-looking values), which live in the
 * magics module: a notebook's %%configure is checked exactly as the magic checks it, and what is shown is
 * redacted the same way.
 */
public interface ConfigureRules {
    /** The settings {@code body} asks for; a body the magic would refuse is the exception, saying why. */
    JsonObject parse(String body, Set<String> lockedKeys) throws BatchSubmissionException;

    /** {@code request} with the values of secret-looking settings masked, for display. */
    JsonObject redacted(JsonObject request);
}
