package io.livykernel.backend.livy.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A Livy older than 0.9 refuses ttl / idleTimeout as Jackson refuses any unknown field: 400 with a plain-string
 * body (recording 4, rec4_new_fields_local.json, "unknown_field", here with the field such a server lacks).
 */
class OlderLivyRefusalTest {
    private static final String ENDPOINT = "POST http://livy:8998/sessions";

    private static String refusal(String field) {
        return "\"Unrecognized field \\\"" + field + "\\\" (class org.apache.livy.server.interactive."
                + "CreateInteractiveRequest), not marked as ignorable (15 known properties: \\\"executorCores\\\"])\"";
    }

    @Test
    void aTtlOrIdleTimeoutTheServerDoesNotKnowSaysWhatToRemove() {
        String message = LivyErrors.fromResponse(ENDPOINT, 400, refusal("idleTimeout"), null).getMessage();
        assertTrue(message.endsWith("(this Livy is older than 0.9 and does not know idleTimeout: remove it from"
                + " %%configure or from livy.session.defaults)"), message);
    }

    @Test
    void anyOtherUnknownFieldIsLivysWordsOnly() {
        String message = LivyErrors.fromResponse(ENDPOINT, 400, refusal("fooBar"), null).getMessage();
        assertEquals("Livy failed: " + ENDPOINT + ": HTTP 400 Unrecognized field \"fooBar\" (class org.apache.livy"
                + ".server.interactive.CreateInteractiveRequest), not marked as ignorable (15 known properties:"
                + " \"executorCores\"])", message);
    }
}
