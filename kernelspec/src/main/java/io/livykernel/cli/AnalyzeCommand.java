package io.livykernel.cli;

import com.google.gson.JsonObject;
import io.livykernel.analyze.ConfigureCell;
import io.livykernel.analyze.DirectorySparkApi;
import io.livykernel.analyze.HttpSparkApi;
import io.livykernel.analyze.JsonReport;
import io.livykernel.analyze.MetricsReader;
import io.livykernel.analyze.Report;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.SparkApi;
import io.livykernel.analyze.SparkApiException;
import io.livykernel.analyze.StageChart;
import io.livykernel.analyze.TextReport;
import io.livykernel.analyze.heuristics.StandardHeuristics;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.http.HttpConfig;
import io.livykernel.http.HttpSettings;
import io.livykernel.http.HttpStack;
import io.livykernel.http.KerberosSettings;
import io.livykernel.messages.Json;
import io.livykernel.policy.ResourceUsage;
import io.livykernel.policy.UsageReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code analyze --app-id ID --spark-api URL}: performance advice for a Spark application from its REST metrics.
 * The Spark UI or History Server is read through the HTTP stack of the configuration file (the one {@code submit}
 * reads): livy.tls, livy.headers and livy.auth apply; {@code --kerberos} uses SPNEGO from the ticket cache.
 */
final class AnalyzeCommand implements Command, HelpFooter {
    static final int EXIT_REPORT = 0;
    static final int EXIT_FAIL_ON = 3;

    @Override
    public String name() {
        return "analyze";
    }

    @Override
    public String summary() {
        return "tuning advice for a Spark application from its Spark UI or History Server metrics";
    }

    @Override
    public String usage() {
        return "--app-id APP_ID --spark-api URL [--kerberos] [--json] [--configure] [--png FILE] [--fail-on SEVERITY]";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("app-id").hasArg().argName("APP_ID")
                        .desc("the application, e.g. application_1700000000000_0042 (Livy's appId)").build())
                .addOption(Option.builder().longOpt("spark-api").hasArg().argName("URL")
                        .desc("a Spark UI (the driver's, or the YARN proxy address Livy shows as Spark UI), a"
                                + " History Server (http://host:18080), or a directory of captured api/v1 answers")
                        .build())
                .addOption(Option.builder().longOpt("kerberos").desc("authenticate with Kerberos (SPNEGO) from"
                        + " the ticket cache kinit filled (default: livy.auth of the configuration file)").build())
                .addOption(Option.builder().longOpt("json").desc("print the report as JSON (schemaVersion "
                        + Report.SCHEMA_VERSION + ", see README) instead of text").build())
                .addOption(Option.builder().longOpt("configure").desc("print, as JSON, the %%configure cell that"
                        + " applies the advised settings (cell text, settings, changes, advice left out) instead of"
                        + " the report").build())
                .addOption(Option.builder().longOpt("png").hasArg().argName("FILE")
                        .desc("also write the stage chart as a PNG picture").build())
                .addOption(Option.builder().longOpt("fail-on").hasArg().argName("SEVERITY")
                        .desc("exit " + EXIT_FAIL_ON + " when a finding is at least this bad (low, moderate, severe,"
                                + " critical), for schedulers and CI").build());
    }

    @Override
    public String helpFooter() {
        return "\nExit codes: 0 report produced (whatever it found); 2 bad usage, Spark API unreachable or"
                + " application unknown; " + EXIT_FAIL_ON + " report produced and --fail-on reached; 1 unexpected"
                + " error.\nMetrics that cannot be read (older Spark, running application) leave the heuristics"
                + " that need them out; the report lists which and why.";
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        String appId = required(line, "app-id");
        String api = required(line, "spark-api");
        Severity failOn = line.hasOption("fail-on") ? severity(line.getOptionValue("fail-on")) : null;
        SparkApi source = sourceFor(api, line.hasOption("kerberos"));
        Report report;
        try {
            report = StandardHeuristics.analyzer().analyze(new MetricsReader(source).read(appId));
        } catch (SparkApiException e) {
            if (e.kerberos() != null) {
                throw new Main.UsageException("cannot read application '" + appId + "': " + e.getMessage()
                        + (e.kerberos() == SparkApiException.Kerberos.NOT_CONFIGURED
                        ? ", or pass --kerberos to use the ticket cache (kinit)." : "."));
            }
            throw new Main.UsageException(e.notFound()
                    ? "no application '" + appId + "' at " + source.describe() + " (" + e.getMessage() + "). Check"
                            + " --app-id; a live driver's UI only knows its own application, a History Server"
                            + " only finished ones whose event log it has read."
                    : "cannot read application '" + appId + "': " + e.getMessage() + ". Check --spark-api.");
        }
        report = report.withUsage(usage(appId, api, line.hasOption("kerberos")));
        if (line.hasOption("configure")) {
            // No session here: the cell holds only the advised settings, and no platform caps apply.
            out.print(Json.toJson(ConfigureCell.of(report, new JsonObject(), request -> List.of()).toJson()) + "\n");
        } else {
            out.print(line.hasOption("json") ? JsonReport.render(report) + "\n" : TextReport.render(report));
        }
        if (line.hasOption("png")) {
            byte[] png = StageChart.png(report);
            if (png == null) {
                err.println("livy-kernel analyze: no stage has a known duration, so no chart was written.");
            } else {
                Files.write(Path.of(line.getOptionValue("png")), png);
            }
        }
        return failOn != null && report.worst().atLeast(failOn) ? EXIT_FAIL_ON : EXIT_REPORT;
    }

    private static SparkApi sourceFor(String api, boolean kerberos) throws Main.UsageException {
        if (!api.contains("://")) {
            Path dir = Path.of(api);
            if (!Files.isDirectory(dir)) {
                throw new Main.UsageException("--spark-api takes an http(s) URL or a directory of captured answers;"
                        + " '" + api + "' is neither.");
            }
            return new DirectorySparkApi(dir);
        }
        HttpStack http = http(kerberos);
        try {
            return new HttpSparkApi(api, http);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--spark-api '" + api + "' is not a valid URL.");
        }
    }

    /**
     * What the application took from YARN: from yarn.resourceManagerUrl or the ResourceManager behind a YARN proxy
     * --spark-api, else Spark's executors API at --spark-api; says why when neither can tell.
     */
    private static ResourceUsage usage(String appId, String api, boolean kerberos)
            throws Main.UsageException, InterruptedException {
        try {
            URI rm = UsageReader.configuredResourceManager(KernelConfig.load(System.getenv()));
            return new UsageReader(http(kerberos), rm).read(appId, api.contains("://") ? api : null);
        } catch (ConfigException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }

    /** The configuration file's HTTP stack; with --kerberos, SPNEGO from the ticket cache instead of livy.auth. */
    private static HttpStack http(boolean kerberos) throws Main.UsageException {
        try {
            HttpSettings settings = HttpConfig.from(KernelConfig.load(System.getenv()));
            return HttpStack.of(kerberos ? settings.withKerberos(new KerberosSettings(null, null, null, null, null))
                    : settings);
        } catch (ConfigException | IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }

    private static String required(CommandLine line, String option) throws Main.UsageException {
        String value = line.getOptionValue(option);
        if (value == null || value.isBlank()) {
            throw new Main.UsageException("--" + option + " is required (see analyze --help).");
        }
        return value.trim();
    }

    private static Severity severity(String text) throws Main.UsageException {
        try {
            return Severity.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--fail-on takes one of " + Arrays.stream(Severity.values())
                    .map(Severity::label).toList() + ", not '" + text + "'.");
        }
    }
}
