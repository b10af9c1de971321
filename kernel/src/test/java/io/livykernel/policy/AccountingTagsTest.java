package io.livykernel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import io.livykernel.messages.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountingTagsTest {
    @Test
    void theTagsNameTheUserTheNotebookAndThePlatformAsYarnStoresThem() {
        AccountingTags tags = new AccountingTags("Alice", "work/Sales, Q3.ipynb", "Team-ML");
        assertEquals(List.of("livy-kernel", "livy-kernel-user:alice", "livy-kernel-source:work/sales__q3.ipynb",
                "team-ml"), tags.tags());
        assertEquals("yarn application -list -appStates ALL -appTags livy-kernel-user:alice", tags.findCommand());
    }

    @Test
    void tagsTheRequestAlreadyHasAreKept() {
        JsonObject tagged = new AccountingTags("bob", "k-123", null).applyTo(
                Json.parseObject("{\"conf\": {\"spark.yarn.tags\": \"cost-center-7\"}}"));
        assertEquals("cost-center-7,livy-kernel,livy-kernel-user:bob,livy-kernel-source:k-123",
                tagged.getAsJsonObject("conf").get("spark.yarn.tags").getAsString());
    }

    @Test
    void aLongNotebookPathIsCutToYarnsLimit() {
        String path = "x".repeat(300);
        assertEquals(100, new AccountingTags(null, path, null).tags().get(1).length());
    }
}
