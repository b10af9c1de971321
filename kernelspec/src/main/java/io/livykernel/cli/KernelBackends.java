package io.livykernel.cli;

import io.livykernel.backend.Backend;
import io.livykernel.backend.UnavailableBackend;
import io.livykernel.backend.livy.LivyBackend;
import io.livykernel.backend.local.LocalPythonBackend;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;
import java.util.Optional;

/** Chooses and holds the kernel's backends from the configuration. */
public final class KernelBackends implements KernelContext {
    private final KernelConfig config;
    private final Backend primary;
    private final Backend local;

    private KernelBackends(KernelConfig config, Backend primary, Backend local) {
        this.config = config;
        this.primary = primary;
        this.local = local;
    }

    /**
     * @param kernelId identifies this kernel in the Livy session's name (the connection file's kernel id)
     * @param user     the notebook's user (JUPYTERHUB_USER), the session's default proxyUser; may be null
     */
    public static KernelBackends fromConfig(KernelConfig config, String kernelId, String user) throws ConfigException {
        if (config.livyUrl().isEmpty()) {
            String why = "No Livy endpoint is configured (set LIVY_URL, or \"livy\": {\"url\": ...} in "
                    + config.source() + "), so this kernel runs on its embedded local Python backend.";
            Backend local = new LocalPythonBackend(config.local(), why);
            return new KernelBackends(config, local, local);
        }
        Backend remote = LivyBackend.fromConfig(config, kernelId, user);
        return new KernelBackends(config, remote, new LocalPythonBackend(config.local(), null));
    }

    /** The kernel could not read its configuration: it still starts and explains in every cell. */
    public static KernelBackends misconfigured(ConfigException problem) {
        Backend unavailable = new UnavailableBackend("ConfigurationError", problem.getMessage());
        return new KernelBackends(KernelConfig.defaults(), unavailable, unavailable);
    }

    @Override
    public Backend primaryBackend() {
        return primary;
    }

    @Override
    public Backend localBackend() {
        return local;
    }

    @Override
    public KernelConfig config() {
        return config;
    }

    @Override
    public Optional<RemoteSessions> remote() {
        return primary instanceof LivyBackend livy ? Optional.of(livy.sessions()) : Optional.empty();
    }
}
