package io.livykernel.backend.livy.view;

import io.livykernel.backend.livy.rest.AppInfo;
import io.livykernel.backend.livy.rest.LivySession;
import java.util.List;
import java.util.Optional;

/**
 * Where Livy runs a session's Spark application, as its answers show it. On YARN the application id is YARN's
 * ({@code application_...}) and Livy's log ends with a "YARN Diagnostics:" section. On Kubernetes (Livy 0.9,
 * apache/incubator-livy server/.../utils/SparkKubernetesApp.scala) the id is the driver pod's
 * {@code spark-app-selector} label, which Spark sets to {@code spark-<32 hex digits>}; appInfo carries only
 * {@code sparkUiUrl} (Livy's link format filled with the id, while the driver pod runs; driverLogUrl stays null);
 * and the log is {@code "stdout: "}, the driver pod's log, {@code "\nstderr: "}, spark-submit's output,
 * {@code "\nKubernetes Diagnostics: "}, then per pod (the driver first) {@code "<pod>.<namespace>:"} and
 * tab-indented lines (node, phase, reason, ...). A local-mode Livy fills neither id nor appInfo.
 */
public enum SparkCluster {
    YARN("YARN"),
    KUBERNETES("Kubernetes"),
    LOCAL("local mode"),
    /** No application id yet and not known to be local: the cluster has not assigned one. */
    NOT_YET(null);

    static final String YARN_LOG_MARKER = "YARN Diagnostics:";
    static final String KUBERNETES_LOG_MARKER = "Kubernetes Diagnostics:";

    private final String words;

    SparkCluster(String words) {
        this.words = words;
    }

    /** The cluster manager in a user's words ("YARN", "Kubernetes", "local mode"); null while not known. */
    String words() {
        return words;
    }

    public static SparkCluster of(LivySession s) {
        String appId = s.appId();
        if (appId != null && appId.startsWith("application_") || logHas(s.log(), YARN_LOG_MARKER)) {
            return YARN;
        }
        if (appId != null && appId.startsWith("spark-") || logHas(s.log(), KUBERNETES_LOG_MARKER)) {
            return KUBERNETES;
        }
        AppInfo info = s.appInfo();
        boolean noApp = (appId == null || appId.isBlank()) && (info == null || blank(info.sparkUiUrl()));
        // A ready session without an application is local: YARN fills appId long before idle (12 s vs 69 s).
        return noApp && s.state().isReady() ? LOCAL : NOT_YET;
    }

    /**
     * The driver pod of a Kubernetes session as "pod (namespace ns)", from the first pod of Livy's Kubernetes
     * diagnostics (the driver's, listed before the executors'); empty when the lines do not reach it.
     */
    static Optional<String> driverPod(List<String> log) {
        boolean inDiagnostics = false;
        for (String line : log) {
            if (line == null) {
                continue;
            }
            if (line.contains(KUBERNETES_LOG_MARKER)) {
                inDiagnostics = true;
            } else if (inDiagnostics && !line.startsWith("\t") && line.endsWith(":")) {
                String pod = line.substring(0, line.length() - 1).strip();
                int dot = pod.lastIndexOf('.');   // namespaces have no dots; pod names may
                return Optional.of(dot <= 0 ? pod : pod.substring(0, dot) + " (namespace " + pod.substring(dot + 1)
                        + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean logHas(List<String> log, String marker) {
        return log.stream().anyMatch(line -> line != null && line.contains(marker));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
