package io.livykernel.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the kernel decides that the Jupyter server that started it is gone, with a scripted process table. */
class ParentWatchTest {
    private final AtomicLong parent = new AtomicLong(4242);
    private final AtomicBoolean launcherAlive = new AtomicBoolean(true);

    private ParentWatch watch(long launcher, boolean ancestor) {
        return new ParentWatch(launcher, parent.get(), ancestor, parent::get, launcherAlive::get);
    }

    @Test
    void startedByJupyterClientItExitsWhenItsParentDoesEvenUnderASubreaper() {
        ParentWatch watch = watch(4242, true);
        assertFalse(watch.parentGone());
        parent.set(977); // a subreaper (systemd --user, a container's init) inherits the orphan, not pid 1
        assertTrue(watch.parentGone());
    }

    @Test
    void behindAWrapperThatDoesNotExecItExitsWhenTheLauncherIsGoneThoughTheWrapperLives() {
        ParentWatch watch = watch(17, true);
        assertFalse(watch.parentGone());
        launcherAlive.set(false);
        assertTrue(watch.parentGone());
    }

    @Test
    void behindAWrapperItAlsoExitsWhenTheWrapperIsGone() {
        ParentWatch watch = watch(17, true);
        parent.set(1);
        assertTrue(watch.parentGone());
    }

    @Test
    void aLauncherThatIsNotAnAncestorCountsOnlyWhenTheKernelIsHandedToInit() {
        ParentWatch watch = watch(17, false);
        launcherAlive.set(false);
        assertFalse(watch.parentGone());
        parent.set(1);
        assertTrue(watch.parentGone());
    }

    @Test
    void aKernelWhoseParentWasInitOrNothingFromTheStartIsNeverTakenForAnOrphan() {
        for (long startParent : new long[] {1, 0}) {
            parent.set(startParent);
            ParentWatch watch = watch(17, false);
            parent.set(1);
            assertFalse(watch.parentGone(), "parent at start " + startParent);
        }
    }

    @Test
    void startedByHandWithoutJupyterClientItNeverExitsOnItsOwn() {
        ParentWatch watch = ParentWatch.fromEnvironment(Map.of());
        assertFalse(watch.enabled());
        assertFalse(watch.parentGone());
        assertFalse(ParentWatch.fromEnvironment(Map.of(ParentWatch.PARENT_ENV, "1")).enabled());
        assertFalse(ParentWatch.fromEnvironment(Map.of(ParentWatch.PARENT_ENV, "not a pid")).enabled());
    }

    @Test
    void underTheRealProcessTableOurOwnParentIsPresent() {
        long ourParent = ProcessHandle.current().parent().orElseThrow().pid();
        ParentWatch watch = ParentWatch.fromEnvironment(Map.of(ParentWatch.PARENT_ENV, Long.toString(ourParent)));
        assertTrue(watch.enabled());
        assertFalse(watch.parentGone());
    }

    @Test
    void theKernelShutsDownAsOnSigtermWhenItsParentIsGone() throws Exception {
        try (KernelServerHarness kernel = new KernelServerHarness()) {
            kernel.server.exitWhenParentGone(watch(4242, true), Duration.ofMillis(20));
            assertEquals("ok", KernelServerHarness.status(kernel.reply(kernel.execute("print alive"))));
            parent.set(1);

            assertEquals(StopReason.PARENT_GONE, kernel.server.awaitStop());
            assertTrue(kernel.backend.closed.await(KernelServerHarness.WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }
}
