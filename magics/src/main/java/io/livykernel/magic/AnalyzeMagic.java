package io.livykernel.magic;

import com.google.gson.JsonObject;
import io.livykernel.analyze.ConfigureCell;
import io.livykernel.analyze.HtmlReport;
import io.livykernel.analyze.HttpSparkApi;
import io.livykernel.analyze.MetricsReader;
import io.livykernel.analyze.Report;
import io.livykernel.analyze.SparkApiException;
import io.livykernel.analyze.StageChart;
import io.livykernel.analyze.TextReport;
import io.livykernel.analyze.heuristics.StandardHeuristics;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.config.SessionFields;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.extension.SessionSummary;
import io.livykernel.http.HttpConfig;
import io.livykernel.http.HttpStack;
import io.livykernel.messages.Json;
import io.livykernel.policy.SessionLimits;
import io.livykernel.policy.UsageReader;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code %%analyze}: tuning advice for this session's Spark application, read from its Spark UI (the session's
 * appInfo.sparkUiUrl), or for any application with {@code -a APP_ID} from a History Server. Both are read through
 * the kernel's HTTP stack: livy.tls, livy.headers and livy.auth apply as for Livy (with Kerberos, SPNEGO, as a
 * Kerberized cluster's YARN proxy and History Server want).
 */
final class AnalyzeMagic extends BaseMagic {
    /** Configuration file key (section "analyze") for the History Server that -a reads from. */
    static final String HISTORY_SERVER_KEY = "historyServerUrl";
    /** Livy's states of a session whose driver answers statements. */
    private static final Set<String> READY_STATES = Set.of("idle", "busy");

    /** Without Livy: the HTTP stack for the Spark UIs, made once per configuration (its cookies serve on). */
    private KernelConfig stackConfig;
    private HttpStack stack;

    AnalyzeMagic() {
        super("analyze", Form.LINE_OR_CELL, Body.NONE,
                "Analyse the Spark application's metrics (this session's, or -a APP_ID from a History Server) and"
                + " show what slows it down or wastes the cluster, with the Spark settings to change.",
                "%%analyze",
                new Options()
                        .addOption(Option.builder("a").longOpt("app-id").hasArg().argName("APP_ID")
                                .desc("another application, read from a History Server (-u or"
                                        + " analyze.historyServerUrl in the configuration file)").build())
                        .addOption(Option.builder("u").longOpt("spark-api").hasArg().argName("URL")
                                .desc("the Spark History Server (or Spark UI) to read -a's application from")
                                .build()));
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        String appId = call.flags().getOptionValue("a");
        String url;
        String reach = "its driver runs (and the cluster's proxy or ingress lets this kernel in)";
        if (appId != null) {
            url = call.flags().getOptionValue("u", Json.string(context.config().section("analyze"),
                    HISTORY_SERVER_KEY, null));
            if (url == null || url.isBlank()) {
                throw new UserFacingException("UsageError", "%%analyze -a needs a History Server: add -u URL (e.g."
                        + " -u http://history-server:18080) or set analyze." + HISTORY_SERVER_KEY
                        + " in the configuration file.");
            }
        } else {
            RemoteSessions remote = Remote.require(context, "%%analyze", "Use %%analyze -a APP_ID -u"
                    + " HISTORY_SERVER_URL for an application on a cluster.");
            SessionSummary session = remote.current();
            if (session == null) {
                throw new UserFacingException("NoSession", "This notebook has no Spark session yet, so there is"
                        + " nothing to analyse: run some Spark code first, or use -a APP_ID for another application.");
            }
            if (session.appId() != null && session.sparkUiUrl() != null && !session.sparkUiUrl().isBlank()) {
                appId = session.appId();
                url = call.flags().getOptionValue("u", session.sparkUiUrl());
            } else if (session.appId() != null || !READY_STATES.contains(session.state())) {
                throw new UserFacingException("NoSparkUi", "Livy does not show session " + session.id()
                        + "'s Spark UI address yet (it does once the cluster has started the driver; on Kubernetes only"
                        + " where Livy is given a Spark UI link format);"
                        + " try again in a moment, or use -a APP_ID -u HISTORY_SERVER_URL.");
            } else {
                // No cluster application (a local-mode Livy never fills appId or appInfo): the driver knows its UI.
                DriverUi driver = DriverUi.ask(remote, session.id(), out);
                appId = driver.appId();
                url = call.flags().getOptionValue("u", driver.uiUrl());
                reach = "its driver runs, to machines that can reach " + url + " (the driver runs " + driver.where()
                        + " on the Livy server's side)";
            }
        }
        Report report;
        try {
            report = StandardHeuristics.analyzer().analyze(new MetricsReader(new HttpSparkApi(url, http(context)))
                    .read(appId));
        } catch (SparkApiException e) {
            if (e.kerberos() != null) {
                throw new UserFacingException("SparkUiKerberos", "Cannot read the metrics of " + appId + ": "
                        + e.getMessage() + (e.kerberos() == SparkApiException.Kerberos.NOT_CONFIGURED
                        ? ", then restart the kernel." : "."));
            }
            throw new UserFacingException("SparkUiUnreachable", "Cannot read the metrics of " + appId + ": "
                    + e.getMessage() + ". A session's Spark UI answers only while " + reach + "; for a finished"
                    + " application use %%analyze -a " + appId
                    + " -u HISTORY_SERVER_URL.");
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("UsageError", "'" + url + "' is not a valid Spark UI or History Server URL.");
        }
        report = report.withUsage(new UsageReader(http(context),
                UsageReader.configuredResourceManager(context.config())).read(appId, url));
        ConfigureCell cell = configureCell(report, context);
        MimeBundle.Builder bundle = MimeBundle.builder().text(TextReport.render(report) + cell.describe())
                .html(HtmlReport.render(report) + cell.html());
        byte[] png = StageChart.png(report);
        if (png != null) {
            bundle.put("image/png", Base64.getEncoder().encodeToString(png));
        }
        out.display(bundle.build());
        if (cell.isEmpty()) {
            return CellResult.ok();
        }
        // JupyterLab and the classic notebook create the next cell from this payload.
        JsonObject next = new JsonObject();
        next.addProperty("source", "set_next_input");
        next.addProperty("text", cell.text());
        next.addProperty("replace", false);
        return new CellResult.Ok(List.of(next));
    }

    /**
     * On Livy: one %%configure cell applying the report's advice over this notebook's settings, within the
     * platform's caps (livy.session.limits); without Livy there is no session to configure, so it is empty.
     */
    private static ConfigureCell configureCell(Report report, KernelContext context) throws UserFacingException {
        RemoteSessions remote = context.remote().orElse(null);
        if (remote == null) {
            return ConfigureCell.none();
        }
        SessionLimits limits = remote.limits();
        return ConfigureCell.of(report, notebookSettings(remote),
                request -> limits.violations(limits.applyPolicy(request)));
    }

    /** The session's settings as %%configure takes them: its keys, not the locked ones nor the kernel's name. */
    private static JsonObject notebookSettings(RemoteSessions remote) {
        JsonObject request = remote.effectiveRequest();
        JsonObject settings = new JsonObject();
        for (String key : SessionFields.names()) {
            if (request.has(key) && !key.equals("name") && !remote.lockedKeys().contains(key)) {
                settings.add(key, request.get(key).deepCopy());
            }
        }
        return settings;
    }

    /**
     * The HTTP stack for the Spark UI: the Livy client's when the kernel runs on Livy (so the progress line's probe
     * and this share its Kerberos login), else one built from the configuration.
     */
    private synchronized HttpStack http(KernelContext context) throws UserFacingException {
        HttpStack kernels = context.remote().map(RemoteSessions::otherServices).orElse(null);
        if (kernels != null) {
            return kernels;
        }
        KernelConfig config = context.config();
        if (config != stackConfig) {
            try {
                stack = HttpStack.of(HttpConfig.from(config));
            } catch (ConfigException | IllegalArgumentException e) {
                throw new UserFacingException("ConfigError", e.getMessage());
            }
            stackConfig = config;
        }
        return stack;
    }
}
