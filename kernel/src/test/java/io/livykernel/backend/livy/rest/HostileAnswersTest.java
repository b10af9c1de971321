package io.livykernel.backend.livy.rest;

import static io.livykernel.backend.livy.rest.FakeLivy.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.http.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Answers no Livy sends: deeply nested, huge, binary. The client refuses them with a short, printable reason. */
class HostileAnswersTest {
    private FakeLivy livy;

    @BeforeEach
    void start() throws Exception {
        livy = new FakeLivy();
    }

    @AfterEach
    void stop() {
        livy.close();
    }

    private LivyClient client() {
        return new LivyClient(LivySettings.builder(livy.url().toString()).retryPolicy(RetryPolicy.none())
                .requestTimeout(Duration.ofSeconds(20)).build());
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutExhaustingASmallStack() throws Exception {
        String body = "{\"id\":1,\"state\":\"available\",\"output\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        livy.handle((request, exchange) -> reply(exchange, 200, body));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        // The execution lane runs on a 512 KB stack.
        Thread lane = new Thread(null, () -> {
            try {
                client().getStatement("0", "1");
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "small-stack", 512 * 1024);
        lane.start();
        lane.join();
        LivyException e = assertTrueInstance(thrown.get());
        assertTrue(e.getMessage().contains("nested deeper than " + JsonFields.MAX_DEPTH + " levels"), e.getMessage());
        assertTrue(e.getMessage().length() < 600, "a short message, not the body: " + e.getMessage().length());
    }

    @Test
    void aHugeAnswerIsRefusedWithAClearMessage() {
        String body = "{\"id\":1,\"code\":\"" + "x".repeat(LivyClient.MAX_ANSWER_BYTES) + "\"}";
        livy.handle((request, exchange) -> reply(exchange, 200, body));
        LivyException e = assertThrows(LivyException.class, () -> client().getStatement("0", "1"));
        assertTrue(e.getMessage().contains("larger than " + LivyClient.MAX_ANSWER_BYTES / (1024 * 1024) + " MB"),
                e.getMessage());
        assertTrue(e.getMessage().length() < 600, e.getMessage());
    }

    @Test
    void garbageIsQuotedShortWithControlBytesEscaped() {
        livy.handle((request, exchange) -> reply(exchange, 200, "text/plain", "\u0000\u001b[31mboom\u0007" + "z".repeat(5000)));
        LivyException e = assertThrows(LivyException.class, () -> client().getStatement("0", "1"));
        assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20 && c != '\n'), e.getMessage());
        assertTrue(e.getMessage().contains("\\x00\\x1b[31mboom\\x07"), e.getMessage());
        assertTrue(e.getMessage().length() < 600, e.getMessage());
    }

    @Test
    void anErrorPageWithControlBytesIsQuotedPrintably() {
        livy.handle((request, exchange) -> reply(exchange, 500, "text/plain", "bad\u0000\u001bthing"));
        LivyHttpException e = assertThrows(LivyHttpException.class, () -> client().getStatement("0", "1"));
        assertEquals(500, e.status());
        assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20), e.getMessage());
        assertTrue(e.getMessage().contains("bad\\x00\\x1bthing"), e.getMessage());
    }

    private static LivyException assertTrueInstance(Throwable t) {
        assertTrue(t instanceof LivyException, "expected a LivyException, got " + t);
        return (LivyException) t;
    }

}
