package io.livykernel.cli;

import com.google.gson.JsonObject;
import io.livykernel.api.UserFacingException;
import io.livykernel.batch.BatchSubmissionException;
import io.livykernel.batch.ConfigureRules;
import io.livykernel.magic.SessionSettings;
import java.util.Set;

/** The %%configure magic's own rules ({@link SessionSettings}), for the batch service. */
final class MagicConfigureRules implements ConfigureRules {
    @Override
    public JsonObject parse(String body, Set<String> lockedKeys) throws BatchSubmissionException {
        try {
            return SessionSettings.parse(body, lockedKeys);
        } catch (UserFacingException e) {
            throw new BatchSubmissionException(e.getMessage(), e);
        }
    }

    @Override
    public JsonObject redacted(JsonObject request) {
        return SessionSettings.redacted(request);
    }
}
