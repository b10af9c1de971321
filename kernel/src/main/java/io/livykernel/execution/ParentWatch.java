package io.livykernel.execution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Tells whether the process that started the kernel (the Jupyter server, or jupyter_client in nbconvert)
 * is gone, as ipykernel's parent poller does. jupyter_client names itself in {@code JPY_PARENT_PID}:
 * <ul>
 * <li>no such variable (a kernel started by hand): never gone, whatever happens to the shell;</li>
 * <li>the launcher is our parent (kernel.json's java, or a wrapper that execs): gone when our parent pid
 *     changes, which on Linux happens only when the parent exits (also under a subreaper, where it is not 1);</li>
 * <li>the launcher is a further ancestor (a wrapper script that does not exec): gone when the launcher
 *     has exited or our own parent has;</li>
 * <li>the launcher is not among our ancestors: gone when we have been handed to init (pid 1), as ipykernel;
 *     never when init (or nothing, for pid 1 in a container) was our parent from the start.</li>
 * </ul>
 */
public final class ParentWatch {
    static final String PARENT_ENV = "JPY_PARENT_PID";
    private static final long NONE = -1;
    private static final long INIT = 1;
    private static final long NO_PARENT = 0;

    private final long launcher;
    private final long originalParent;
    private final boolean launcherIsAncestor;
    private final LongSupplier currentParent;
    private final BooleanSupplier launcherAlive;

    ParentWatch(long launcher, long originalParent, boolean launcherIsAncestor, LongSupplier currentParent,
                BooleanSupplier launcherAlive) {
        this.launcher = launcher;
        this.originalParent = originalParent;
        this.launcherIsAncestor = launcherIsAncestor;
        this.currentParent = currentParent;
        this.launcherAlive = launcherAlive;
    }

    /** The watch for this process, from {@code JPY_PARENT_PID} in {@code env} and the live process table. */
    public static ParentWatch fromEnvironment(Map<String, String> env) {
        long launcher = parsePid(env.get(PARENT_ENV));
        ProcessHandle self = ProcessHandle.current();
        LongSupplier parent = () -> self.parent().map(ProcessHandle::pid).orElse(NO_PARENT);
        long originalParent = parent.getAsLong();
        boolean ancestor = false;
        for (ProcessHandle p = self.parent().orElse(null); p != null && launcher != NONE; p = p.parent().orElse(null)) {
            if (p.pid() == launcher) {
                ancestor = true;
                break;
            }
        }
        // The handle remembers the launcher's start time, so a recycled pid does not pass for it.
        ProcessHandle launcherHandle = launcher == NONE ? null : ProcessHandle.of(launcher).orElse(null);
        BooleanSupplier alive = () -> launcherHandle != null && launcherHandle.isAlive() && !zombie(launcherHandle.pid());
        return new ParentWatch(launcher, originalParent, ancestor, parent, alive);
    }

    /** False when the kernel was not started by jupyter_client (nothing to watch). */
    public boolean enabled() {
        return launcher != NONE;
    }

    public boolean parentGone() {
        if (!enabled()) {
            return false;
        }
        long parent = currentParent.getAsLong();
        if (launcher == originalParent) {
            return parent != originalParent;
        }
        if (launcherIsAncestor) {
            return parent != originalParent || !launcherAlive.getAsBoolean();
        }
        return originalParent != INIT && originalParent != NO_PARENT && parent == INIT;
    }

    /** Which process is watched, for the log. */
    public String description() {
        return enabled() ? "the process that started the kernel (pid " + launcher + ", " + PARENT_ENV + ")"
                : "no " + PARENT_ENV + " (the kernel was not started by a Jupyter server): the parent is not watched";
    }

    private static long parsePid(String value) {
        try {
            long pid = value == null ? NONE : Long.parseLong(value.trim());
            return pid > INIT ? pid : NONE; // pid 1 never exits, it is only inherited
        } catch (NumberFormatException e) {
            return NONE;
        }
    }

    /** A killed process stays in the table as a zombie until its own parent reaps it; it is gone all the same. */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName > 0 && stat.length() > afterName + 2 && stat.charAt(afterName + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (not Linux): ProcessHandle's answer stands
        }
    }
}
