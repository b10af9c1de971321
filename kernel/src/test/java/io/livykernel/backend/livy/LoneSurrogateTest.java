package io.livykernel.backend.livy;

import static io.livykernel.backend.livy.rest.FakeLivy.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.api.CellResult;
import io.livykernel.backend.livy.rest.FakeLivy;
import io.livykernel.backend.livy.rest.LivySettings;
import io.livykernel.backend.livy.rest.StatementRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Code holding half of a character is refused with its position, never sent with a "?" in its place. */
class LoneSurrogateTest {
    @Test
    void aLoneSurrogateIsRefusedWithItsPositionAndNothingIsSent() throws Exception {
        try (FakeLivy livy = new FakeLivy()) {
            livy.handle((request, exchange) -> reply(exchange, 500, "\"unexpected\""));
            LivyBackendConfig config = new LivyBackendConfig(LivySettings.builder(livy.url().toString()).build(),
                    "pyspark", Duration.ofSeconds(5), false, 120, Duration.ofSeconds(30), new JsonObject(), Set.of(),
                    1 << 20);
            LivyBackend backend = new LivyBackend(config, "k1", null);
            try {
                CellResult result = backend.runStatement("x = 1\nname = 'caf\u00e9 \ud83d'\n", "pyspark",
                        new RecordingOutput(), true);

                String message = assertInstanceOf(CellResult.Error.class, result).evalue();
                assertTrue(message.contains("line 2, column 14 (U+D83D)"), message);
                assertTrue(message.contains("Nothing was sent"), message);
                assertEquals(List.of(), livy.requests());
            } finally {
                backend.close();
            }
        }
    }

    @Test
    void wholeCharactersBeyondTheBasicPlaneAreFine() {
        assertNull(StatementRequest.brokenCharacter("print('\ud83d\ude00 ok')"));
        assertEquals("line 1, column 1 (U+DE00)", StatementRequest.brokenCharacter("\ude00"));
    }
}
