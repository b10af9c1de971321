package io.livykernel.backend.livy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.analyze.heuristics.StandardHeuristics;
import io.livykernel.api.CapturedOutput;
import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.Completion;
import io.livykernel.api.ErrorReporter;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.Backend;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.backend.livy.rest.StatementRequest;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.messages.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Runs cells as statements of this kernel's own Livy session (one remote Spark driver per notebook).
 * The session is started by the first cell (or at kernel start when configured) and deleted when the
 * kernel ends; see {@link RemoteSession} and {@link StatementRunner}.
 */
public final class LivyBackend implements Backend {
    private static final Logger LOG = Logger.getLogger(LivyBackend.class.getName());

    private final LivyBackendConfig config;
    private final RemoteSession session;
    private final StatementRunner runner;
    /** The line under slow cells; null when switched off (analyze.hint.enabled). */
    private final SlowStatementHints hints;
    private final PySparkCompleter completer = new PySparkCompleter();
    private final Interruption interruption = new Interruption();
    private final LivySessions sessions;
    private volatile boolean running;

    /**
     * The Livy backend the configuration describes; a setting that cannot be used (e.g. a trust store that
     * cannot be loaded) is a ConfigException the cells explain, never a kernel that does not start.
     */
    public static LivyBackend fromConfig(KernelConfig config, String kernelId, String user) throws ConfigException {
        LivyBackendConfig livy = LivyBackendConfig.from(config);
        try {
            return new LivyBackend(livy, new LivyClient(livy.http()), kernelId, user,
                    SlowStatementHints.Settings.from(config));
        } catch (IllegalArgumentException e) {
            throw new ConfigException((config.source() == null ? "the configuration" : config.source()) + ": "
                    + e.getMessage(), e);
        }
    }

    public LivyBackend(LivyBackendConfig config, String kernelId, String user) {
        this(config, new LivyClient(config.http()), kernelId, user);
    }

    LivyBackend(LivyBackendConfig config, LivyClient client, String kernelId, String user) {
        this(config, client, kernelId, user, SlowStatementHints.Settings.DEFAULT);
    }

    LivyBackend(LivyBackendConfig config, LivyClient client, String kernelId, String user,
                SlowStatementHints.Settings hintSettings) {
        this.config = config;
        this.session = new RemoteSession(client, config, kernelId, user);
        this.hints = hintSettings.enabled() ? new SlowStatementHints(hintSettings, client.otherServices(),
                StandardHeuristics.analyzer()) : null;
        this.runner = new StatementRunner(client, session, config.maxOutputBytes(), Ticker.SYSTEM, hints);
        this.sessions = new LivySessions(client, config, session, this);
    }

    /** The session operations magics use (%%configure, %%info, %attach, ...). */
    public RemoteSessions sessions() {
        return sessions;
    }

    @Override
    public String description() {
        LivySession info = session.info();
        return "Apache Livy at " + config.endpoint() + (info == null ? " (no session yet)"
                : ", session " + info.id() + " (" + session.state().name().toLowerCase(java.util.Locale.ROOT) + ")");
    }

    @Override
    public void warmUp() {
        if (!config.createAtStart()) {
            session.prepareStart();
            return;
        }
        session.startInBackground();
    }

    @Override
    public CellResult execute(Cell cell, CellOutput out) throws InterruptedException {
        return runStatement(cell.code(), "pyspark", out, true);
    }

    /** Runs code of a Livy statement kind (pyspark, sql, spark, sparkr) in this kernel's session. */
    public CellResult runStatement(String code, String kind, CellOutput out, boolean learnNames) throws InterruptedException {
        String broken = StatementRequest.brokenCharacter(code);
        if (broken != null) {
            return ErrorReporter.toCellError(new UserFacingException("UnicodeError", "The cell holds half of a"
                    + " character at " + broken + " (a lone surrogate, often left by cutting an emoji in two), which"
                    + " cannot be sent to Spark; Python would refuse it too. Nothing was sent. Delete it, or write it"
                    + " as an escape such as \"\\ud83d\" inside a string."));
        }
        interruption.reset();
        running = true;
        try {
            String id = session.ensureReady(out, interruption);
            CellResult result = runner.runCell(id, code, kind, out, interruption);
            if (learnNames && result instanceof CellResult.Ok) {
                completer.learn(code);
            }
            return result;
        } catch (UserFacingException e) {
            return ErrorReporter.toCellError(e);
        } catch (InterruptedException e) {
            if (!interruption.requested()) {
                throw e;
            }
            return CellResult.interrupted(e.getMessage());
        } finally {
            running = false;
        }
    }

    /** The id of a ready session, starting one (its progress shown in {@code out}) when needed. */
    String readySession(CellOutput out) throws UserFacingException, InterruptedException {
        interruption.reset();
        return session.ensureReady(out, interruption);
    }

    /** Runs pyspark code and returns its printed text; its failure is thrown with the remote error. */
    String evaluateQuietly(String code, CellOutput out) throws UserFacingException, InterruptedException {
        interruption.reset();
        running = true;
        try {
            String id = session.ensureReady(out, interruption);
            CapturedOutput captured = new CapturedOutput(null);
            CellResult result = runner.run(id, code, "pyspark", captured, interruption);
            if (result instanceof CellResult.Error error) {
                throw new UserFacingException(error.ename(), error.evalue());
            }
            return captured.stdout().strip();
        } finally {
            running = false;
        }
    }

    @Override
    public void interrupt() {
        if (running) {
            interruption.request();
        }
    }

    @Override
    public Completion complete(String code, int cursorPos) {
        return completer.complete(code, cursorPos);
    }

    /** user_expressions, evaluated in one statement on the driver (each value is its repr). */
    @Override
    public Map<String, JsonObject> evaluate(Map<String, String> expressions) {
        if (session.state() != RemoteSession.State.READY) {
            return Map.of();
        }
        String code = "import json as _lk_json\n_lk_values = {}\n"
                + "for _lk_name, _lk_expr in " + Json.toJson(expressions) + ".items():\n"
                + "    try:\n"
                + "        _lk_values[_lk_name] = {'status': 'ok', 'data': {'text/plain': repr(eval(_lk_expr))},"
                + " 'metadata': {}}\n"
                + "    except Exception as _lk_error:\n"
                + "        _lk_values[_lk_name] = {'status': 'error', 'ename': type(_lk_error).__name__,"
                + " 'evalue': str(_lk_error), 'traceback': []}\n"
                + "print(_lk_json.dumps(_lk_values))";
        String printed;
        try {
            printed = evaluateQuietly(code, LoggingOutput.INSTANCE);
        } catch (UserFacingException e) {
            LOG.fine(() -> "user_expressions failed: " + e.getMessage());
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
        Map<String, JsonObject> values = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonElement> e : Json.parseObject(printed).entrySet()) {
                values.put(e.getKey(), e.getValue().getAsJsonObject());
            }
        } catch (RuntimeException e) {
            LOG.fine(() -> "user_expressions gave no JSON: " + printed);
        }
        return values;
    }

    @Override
    public void close() {
        runner.close();
        if (hints != null) {
            hints.close();
        }
        session.close();
    }

    /** Output of work nobody watches (an eager start at kernel start-up): to the log. */
    private static final class LoggingOutput implements CellOutput {
        static final LoggingOutput INSTANCE = new LoggingOutput();

        @Override
        public void stream(Stream stream, String text) {
            LOG.info(text.strip());
        }

        @Override
        public void display(MimeBundle data, JsonObject metadata, String displayId) {
            LOG.info(data.plainText());
        }

        @Override
        public void updateDisplay(MimeBundle data, JsonObject metadata, String displayId) {
            LOG.fine(data::plainText);
        }

        @Override
        public void result(MimeBundle data, JsonObject metadata) {
            LOG.info(data.plainText());
        }

        @Override
        public void clearOutput(boolean wait) {
            // nothing shown
        }

        @Override
        public String input(String prompt, boolean password) throws UserFacingException {
            throw new UserFacingException("StdinNotImplementedError", "no frontend is attached");
        }
    }
}
