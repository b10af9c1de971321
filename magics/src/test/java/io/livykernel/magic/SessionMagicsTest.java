package io.livykernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.Backend;
import io.livykernel.config.KernelConfig;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.extension.SessionSummary;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** %%cleanup's scope flag and what %%configure -f says about the session it replaces. */
class SessionMagicsTest {
    private static final String UUID_ID = "6f1c3b2e-8a4d-4c1e-9b7a-2d5e0f3a9c41";
    private final List<String> calls = new ArrayList<>();
    private Object configureAnswer = true;
    private final FakeKernel.RecordingOutput out = new FakeKernel.RecordingOutput();
    private final MagicDispatcher dispatcher = new MagicDispatcher(MagicRegistry.standard());

    @Test
    void cleanupDeletesOnlyYourSessionsUnlessEveryUserIsNamed() throws Exception {
        run("%%cleanup -f");
        run("%%cleanup -f --all-users");

        assertEquals(List.of("deleteAll false", "deleteAll true"), calls);
    }

    @Test
    void cleanupWithoutForceDeletesNothingAndSaysWhoseSessionsItWouldDelete() throws Exception {
        CellResult result = run("%%cleanup --all-users");

        assertTrue(assertInstanceOf(CellResult.Error.class, result).evalue().contains("every session, other users'"
                + " included"));
        assertEquals(List.of(), calls);
    }

    @Test
    void cleanupsHelpNamesTheAllUsersFlag() throws Exception {
        run("%%help cleanup");

        String help = out.stdout + out.displays.stream().map(d -> d.plainText()).reduce("", String::concat);
        assertTrue(help.contains("--all-users"), help);
    }

    @Test
    void configureSaysDeletedOnlyWhenTheSessionWasDeleted() throws Exception {
        configureAnswer = new UserFacingException("LivyError", "Livy refused to delete session 3 (HTTP 500)");

        CellResult failed = run("%%configure -f\n{\"executorMemory\": \"4g\"}");

        assertInstanceOf(CellResult.Error.class, failed);
        assertFalse(shown().contains("was deleted"), shown());
        configureAnswer = true;
        run("%%configure -f\n{\"executorMemory\": \"4g\"}");
        assertTrue(shown().contains("Session 3 was deleted."), shown());
    }

    @Test
    void sessionIdsAreOpaqueTextAsLighterGivesThem() throws Exception {
        run("%attach -s " + UUID_ID);
        run("%%delete -f -s " + UUID_ID);

        assertEquals(List.of("attach " + UUID_ID, "deleteOther " + UUID_ID), calls);
        String said = out.stdout.toString();
        assertTrue(shown().contains(UUID_ID) && said.contains("Deleted session " + UUID_ID + "."), said);
    }

    @Test
    void aSessionIdThatCannotBeOneIsAUsageErrorAndNothingIsAsked() throws Exception {
        CellResult result = run("%%delete -f -s ../batches");

        assertTrue(assertInstanceOf(CellResult.Error.class, result).evalue().contains("-s takes a session id"));
        assertEquals(List.of(), calls);
    }

    private String shown() {
        return out.displays.stream().map(d -> d.plainText()).reduce("", String::concat);
    }

    private CellResult run(String code) throws InterruptedException {
        return dispatcher.execute(FakeKernel.cell(code), out, new Context());
    }

    private final class Context implements KernelContext {
        @Override
        public Backend primaryBackend() {
            throw new AssertionError("not used");
        }

        @Override
        public Backend localBackend() {
            throw new AssertionError("not used");
        }

        @Override
        public KernelConfig config() {
            return KernelConfig.defaults();
        }

        @Override
        public Optional<RemoteSessions> remote() {
            return Optional.of((RemoteSessions) Proxy.newProxyInstance(RemoteSessions.class.getClassLoader(),
                    new Class<?>[] {RemoteSessions.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "endpoint" -> "http://livy:8998";
                        case "lockedKeys" -> Set.of();
                        case "current" -> new SessionSummary("3", "s", null, "pyspark", "idle", null, null, null, null);
                        case "effectiveRequest" -> new JsonObject();
                        case "start" -> null;
                        case "attach" -> {
                            calls.add("attach " + args[0]);
                            yield new SessionSummary((String) args[0], "s", null, "pyspark", "idle", null, null, null,
                                    null);
                        }
                        case "deleteOther" -> {
                            calls.add("deleteOther " + args[0]);
                            yield null;
                        }
                        case "deleteAll" -> {
                            calls.add("deleteAll " + args[0]);
                            yield List.of();
                        }
                        case "configure" -> {
                            if (configureAnswer instanceof UserFacingException e) {
                                throw e;
                            }
                            yield configureAnswer;
                        }
                        default -> throw new AssertionError(method.getName());
                    }));
        }
    }
}
