package io.livykernel.yarncluster;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.protocolrecords.KillApplicationRequest;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationResourceUsageReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.ResourceManager;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMAppMetrics;

/**
 * A real YARN cluster in one JVM for the spark-submit route's tests: {@code YarnClusterMain WORK_DIR}
 * starts Hadoop's MiniYARNCluster (one ResourceManager, one NodeManager) on 127.0.0.1 with the local file
 * system as fs.defaultFS (no HDFS), writes WORK_DIR/conf/{core-site,yarn-site}.xml for HADOOP_CONF_DIR and
 * then WORK_DIR/ready with the base URL where it serves the applications' states (and kills an application on
 * request), and stops when its stdin closes, so a test that dies leaves no cluster behind.
 */
public final class YarnClusterMain {
    private static final String APPS_PATH = "/ws/v1/cluster/apps/";
    private static final String STATE_PATH = "/state";

    private YarnClusterMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: YarnClusterMain WORK_DIR");
            System.exit(2);
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        Path confDir = Files.createDirectories(work.resolve("conf"));
        // the NodeManager's local and log directories (containers' files and logs) go under WORK_DIR/data
        System.setProperty("test.build.data", work.resolve("data").toString());
        MiniYARNCluster cluster = new MiniYARNCluster("livy-kernel-yarn", 1, 1, 1);
        try {
            cluster.init(configuration());
            cluster.start();
            Configuration started = cluster.getConfig();
            waitForPorts(started);
            HttpServer states = serveApplicationStates(cluster.getResourceManager());
            Configuration core = new Configuration(false);
            core.set("fs.defaultFS", "file:///");
            write(core, confDir.resolve("core-site.xml"));
            write(started, confDir.resolve("yarn-site.xml"));
            Path ready = work.resolve("ready.tmp");
            Files.writeString(ready, "http://127.0.0.1:" + states.getAddress().getPort() + "\n", StandardCharsets.UTF_8);
            Files.move(ready, work.resolve("ready"), StandardCopyOption.ATOMIC_MOVE);
            System.err.println("YARN ResourceManager at " + started.get(YarnConfiguration.RM_ADDRESS)
                    + ", application states at http://127.0.0.1:" + states.getAddress().getPort() + APPS_PATH
                    + "ID; close stdin to stop");
            drain(System.in);
        } catch (Exception | LinkageError e) {
            e.printStackTrace();
            cluster.stop();
            System.exit(1);   // a half-started cluster leaves non-daemon threads behind
        }
        // Applications still running are killed, as YARN kills them, so no container starts for them any more;
        // then the containers left are ended. Nothing else is left to keep: the orderly stop would take ~20 s
        // (the NodeManager waits for its applications' clean-up, the ResourceManager for their masters).
        try {
            killRunningApplications(cluster.getConfig());
        } finally {
            endContainers();
            Runtime.getRuntime().halt(0);
        }
    }

    private static YarnConfiguration configuration() {
        YarnConfiguration conf = new YarnConfiguration();
        conf.set("fs.defaultFS", "file:///");
        conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
        conf.set(YarnConfiguration.NM_ADDRESS, "127.0.0.1:0");
        conf.set(YarnConfiguration.NM_LOCALIZER_ADDRESS, "127.0.0.1:0");
        conf.set(YarnConfiguration.NM_WEBAPP_ADDRESS, "127.0.0.1:0");
        // Containers are JVMs of this machine: Spark's AM (the driver, in cluster mode) and one executor per
        // application, a few applications at once. Memory is what YARN books, not what the JVMs take.
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 8192);
        conf.setInt(YarnConfiguration.NM_VCORES, 8);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
        // containers are assigned on NodeManager heartbeats: every 200 ms instead of every second
        conf.setLong(YarnConfiguration.RM_NM_HEARTBEAT_INTERVAL_MS, 200);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        // first come, first served: no queue configuration to ship, and no limit on how many AMs run at once
        conf.set(YarnConfiguration.RM_SCHEDULER,
                "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        // one attempt: a failed application is final at once (Spark's default is the cluster's maximum)
        conf.setInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, 1);
        // containers run `$JAVA_HOME/bin/java`: the JDK running this cluster
        conf.set(YarnConfiguration.NM_ADMIN_USER_ENV, "JAVA_HOME=" + System.getProperty("java.home"));
        return conf;
    }

    private static void killRunningApplications(Configuration clusterConf) throws IOException, YarnException {
        Configuration conf = new Configuration(clusterConf);
        conf.setLong(YarnConfiguration.YARN_CLIENT_APPLICATION_CLIENT_PROTOCOL_POLL_TIMEOUT_MS, 10_000);
        try (YarnClient yarn = YarnClient.createYarnClient()) {
            yarn.init(conf);
            yarn.start();
            for (ApplicationReport app : yarn.getApplications(EnumSet.of(YarnApplicationState.NEW,
                    YarnApplicationState.NEW_SAVING, YarnApplicationState.SUBMITTED, YarnApplicationState.ACCEPTED,
                    YarnApplicationState.RUNNING))) {
                yarn.killApplication(app.getApplicationId());
            }
        }
    }

    /**
     * Containers (application masters, executors) are the only processes this JVM starts: ends them until
     * none has been left or started for a moment (one may have been starting as its application was killed).
     */
    private static void endContainers() throws InterruptedException {
        long quietSince = System.nanoTime();
        long deadline = quietSince + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(500) && System.nanoTime() < deadline) {
            List<ProcessHandle> containers = ProcessHandle.current().descendants().toList();
            if (!containers.isEmpty()) {
                containers.forEach(ProcessHandle::destroy);
                long ended = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (containers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < ended) {
                    Thread.sleep(100);
                }
                containers.forEach(ProcessHandle::destroyForcibly);
                quietSince = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    /** MiniYARNCluster's start() may return before the ResourceManager has put its real ports in the conf. */
    private static void waitForPorts(Configuration conf) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (conf.get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ResourceManager did not report its ports within 30 s");
            }
            Thread.sleep(100);
        }
    }

    /**
     * The applications' states as the ResourceManager holds them, as JSON in the shape of its REST API's
     * {@code GET /ws/v1/cluster/apps/{id}} ({@code {"app": {...}}}, see {@link #appJson}), and its
     * {@code PUT /ws/v1/cluster/apps/{id}/state} with {@code {"state": "KILLED"}}, which asks for the kill and
     * answers at once (202 and the state until then, 200 once ended), as the RM's does; the Livy double kills a
     * session's application with it, as Livy does with its YARN client.
     * The ResourceManager's own REST API cannot answer in this JVM: the shaded mini-cluster's Jersey finds no
     * JAXB message body writer, and its NodeManager's web app takes over the Guice filter of both ports.
     */
    private static HttpServer serveApplicationStates(ResourceManager rm) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(APPS_PATH, exchange -> {
            String path = exchange.getRequestURI().getPath().substring(APPS_PATH.length());
            boolean kill = "PUT".equals(exchange.getRequestMethod()) && path.endsWith(STATE_PATH);
            String id = kill ? path.substring(0, path.length() - STATE_PATH.length()) : path;
            RMApp app;
            try {
                app = rm.getRMContext().getRMApps().get(ApplicationId.fromString(id));
            } catch (IllegalArgumentException e) {
                app = null;
            }
            int status = app == null ? 404 : 200;
            String body = app == null ? "{\"message\": \"no application " + json(id) + "\"}" : appJson(app);
            if (app != null && kill) {
                String asked = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (!asked.replaceAll("\\s", "").contains("\"state\":\"KILLED\"")) {
                    status = 400;
                    body = "{\"message\": \"only {\\\"state\\\": \\\"KILLED\\\"} is understood\"}";
                } else {
                    try {
                        boolean ended = rm.getClientRMService().forceKillApplication(
                                KillApplicationRequest.newInstance(app.getApplicationId())).getIsKillCompleted();
                        status = ended ? 200 : 202;
                        body = "{\"state\": \"" + app.createApplicationState() + "\"}";
                    } catch (YarnException e) {
                        status = 500;
                        body = "{\"message\": \"" + json(String.valueOf(e.getMessage())) + "\"}";
                    }
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }

    /**
     * The fields of the REST API's app object that the tests and the kernel read, with the ResourceManager's own
     * figures: name, user, state, tags, queue, and the resources used so far (MB-seconds, vcore-seconds) and held now.
     */
    private static String appJson(RMApp app) {
        RMAppMetrics metrics = app.getRMAppMetrics();
        ApplicationResourceUsageReport usage = app.createAndGetApplicationReport(null, true)
                .getApplicationResourceUsageReport();
        long now = System.currentTimeMillis();
        long end = app.getFinishTime() > 0 ? app.getFinishTime() : now;
        boolean running = usage != null && usage.getUsedResources() != null;
        return "{\"app\": {\"id\": \"" + app.getApplicationId() + "\", \"name\": \"" + json(app.getName())
                + "\", \"user\": \"" + json(app.getUser()) + "\", \"state\": \"" + app.createApplicationState()
                + "\", \"finalStatus\": \"" + app.getFinalApplicationStatus() + "\", \"diagnostics\": \""
                + json(String.valueOf(app.getDiagnostics())) + "\", \"queue\": \"" + json(app.getQueue())
                + "\", \"applicationTags\": \"" + json(String.join(",", new TreeSet<>(app.getApplicationTags())))
                + "\", \"startedTime\": " + app.getStartTime() + ", \"finishedTime\": " + app.getFinishTime()
                + ", \"elapsedTime\": " + (end - app.getStartTime())
                + ", \"memorySeconds\": " + metrics.getMemorySeconds() + ", \"vcoreSeconds\": " + metrics.getVcoreSeconds()
                + ", \"allocatedMB\": " + (running ? usage.getUsedResources().getMemorySize() : 0)
                + ", \"allocatedVCores\": " + (running ? usage.getUsedResources().getVirtualCores() : 0)
                + ", \"runningContainers\": " + (running ? usage.getNumUsedContainers() : 0) + "}}";
    }

    private static String json(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static void write(Configuration conf, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // nothing to read: stdin only tells whether the test is still there
        }
    }
}
