"""Texts that a real Livy 0.10 / Spark 3.5.5 / Jetty server produces, so the double reads the same.

Constant texts are copied from the recorded samples (tests/livy-samples); functions rebuild
the variable parts (ids, names, timestamps) in the same format. Both the HTTP server and the worker
process import this module, so it must stay dependency-free.
"""

import time
import uuid

JSON_CONTENT_TYPE = "application/json;charset=utf-8"
HTML_CONTENT_TYPE = "text/html;charset=utf-8"
JETTY_ERROR_CONTENT_TYPE = "text/html;charset=iso-8859-1"

# Livy's SecurityHeadersFilter adds these to every answer.
SECURITY_HEADERS = (
    ("X-Frame-Options", "SAMEORIGIN"),
    ("X-XSS-Protection", "1; mode=block"),
    ("Content-Security-Policy",
     "default-src 'self'; script-src 'self' 'unsafe-inline'; img-src 'self'; frame-src 'self';"),
    ("X-Content-Type-Options", "nosniff"),
)

VERSION = {
    "url": "https://github.com/apache/incubator-livy",
    "branch": "master",
    "revision": "fc4202ea31722979566f7f730f141420828e4d6b",
    "version": "0.10.0-incubating-SNAPSHOT",
    "date": "2026-11-23T19:14:24Z",
    "user": "",
}

SPARK_VERSION = "3.5.5"
CSRF_MESSAGE = "Missing Required Header for CSRF protection."
INTERACTIVE_SERVLET = "org.apache.livy.server.interactive.InteractiveSessionServlet"
BATCH_SERVLET = "org.apache.livy.server.batch.BatchSessionServlet"


def jetty_error_page(status, message, uri, servlet):
    """Jetty's HTML error page (sample 176). Jetty only renders it for GET, POST and HEAD."""
    return (
        "<html>\n<head>\n"
        '<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>\n'
        f"<title>Error {status} {message}</title>\n"
        "</head>\n"
        f"<body><h2>HTTP ERROR {status} {message}</h2>\n"
        "<table>\n"
        f"<tr><th>URI:</th><td>{uri}</td></tr>\n"
        f"<tr><th>STATUS:</th><td>{status}</td></tr>\n"
        f"<tr><th>MESSAGE:</th><td>{message}</td></tr>\n"
        f"<tr><th>SERVLET:</th><td>{servlet}</td></tr>\n"
        "</table>\n\n</body>\n</html>\n"
    )


# --- Errors that travel back from the REPL driver over Livy's RPC (samples 090, 127, 128, 193) ---

_RPC_FRAMES = (
    "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
    "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)",
    "java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke("
    "DelegatingMethodAccessorImpl.java:43)",
    "java.base/java.lang.reflect.Method.invoke(Method.java:569)",
    "org.apache.livy.rsc.rpc.Rpc.handleCall(Rpc.java:312)",
    "org.apache.livy.rsc.rpc.Rpc.handleMsg(Rpc.java:270)",
    "org.apache.livy.rsc.rpc.RpcDispatcher.channelRead0(RpcDispatcher.java:74)",
    "io.netty.channel.SimpleChannelInboundHandler.channelRead(SimpleChannelInboundHandler.java:99)",
    "io.netty.channel.AbstractChannelHandlerContext.invokeChannelRead("
    "AbstractChannelHandlerContext.java:444)",
    "io.netty.channel.AbstractChannelHandlerContext.invokeChannelRead("
    "AbstractChannelHandlerContext.java:420)",
    "io.netty.channel.AbstractChannelHandlerContext.fireChannelRead("
    "AbstractChannelHandlerContext.java:412)",
    "io.netty.handler.codec.ByteToMessageDecoder.fireChannelRead(ByteToMessageDecoder.java:346)",
    "io.netty.handler.codec.ByteToMessageDecoder.channelRead(ByteToMessageDecoder.java:318)",
    "io.netty.handler.codec.ByteToMessageCodec.channelRead(ByteToMessageCodec.java:103)",
    "io.netty.channel.AbstractChannelHandlerContext.invokeChannelRead("
    "AbstractChannelHandlerContext.java:442)",
    "io.netty.channel.AbstractChannelHandlerContext.invokeChannelRead("
    "AbstractChannelHandlerContext.java:420)",
    "io.netty.channel.AbstractChannelHandlerContext.fireChannelRead("
    "AbstractChannelHandlerContext.java:412)",
    "io.netty.channel.DefaultChannelPipeline$HeadContext.channelRead("
    "DefaultChannelPipeline.java:1410)",
    "io.netty.channel.AbstractChannelHandlerContext.invokeChannelRead("
    "AbstractChannelHandlerContext.java:440)",
    "io.netty.channel.AbstractChannelHandlerContext.invokeChannelRead("
    "AbstractChannelHandlerContext.java:420)",
    "io.netty.channel.DefaultChannelPipeline.fireChannelRead(DefaultChannelPipeline.java:919)",
    "io.netty.channel.nio.AbstractNioByteChannel$NioByteUnsafe.read(AbstractNioByteChannel.java:166)",
    "io.netty.channel.nio.NioEventLoop.processSelectedKey(NioEventLoop.java:788)",
    "io.netty.channel.nio.NioEventLoop.processSelectedKeysOptimized(NioEventLoop.java:724)",
    "io.netty.channel.nio.NioEventLoop.processSelectedKeys(NioEventLoop.java:650)",
    "io.netty.channel.nio.NioEventLoop.run(NioEventLoop.java:562)",
    "io.netty.util.concurrent.SingleThreadEventExecutor$4.run(SingleThreadEventExecutor.java:997)",
    "io.netty.util.internal.ThreadExecutorMap$2.run(ThreadExecutorMap.java:74)",
    "java.base/java.lang.Thread.run(Thread.java:840)",
)

_KIND_APPLY = "org.apache.livy.sessions.Kind$.apply(Kind.scala:46)"
_HANDLE_EXECUTE = "org.apache.livy.repl.ReplDriver.handle(ReplDriver.scala:60)"
_HANDLE_COMPLETE = "org.apache.livy.repl.ReplDriver.handle(ReplDriver.scala:68)"


def _rpc_error(cause, repl_frames):
    frames = "".join("\n\tat " + frame for frame in (*repl_frames, *_RPC_FRAMES))
    return ("java.util.concurrent.ExecutionException: org.apache.livy.rsc.rpc.RpcException: "
            + cause + frames + "\n")


def invalid_statement_kind(kind):
    return _rpc_error(f"java.lang.IllegalArgumentException: Invalid kind: {kind}", (
        _KIND_APPLY, "org.apache.livy.repl.Session.execute(Session.scala:152)", _HANDLE_EXECUTE))


def invalid_completion_kind(kind):
    return _rpc_error(f"java.lang.IllegalArgumentException: Invalid kind: {kind}", (
        _KIND_APPLY, "org.apache.livy.repl.Session.complete(Session.scala:182)", _HANDLE_COMPLETE))


SHARED_SESSION_NEEDS_KIND = _rpc_error(
    "java.lang.IllegalArgumentException: Code type should be specified if session kind is shared",
    ("org.apache.livy.repl.Session.execute(Session.scala:156)", _HANDLE_EXECUTE))

STATEMENT_WITHOUT_CODE = _rpc_error(
    'java.lang.NullPointerException: Cannot invoke "String.toCharArray()" because "s" is null', (
        "org.apache.livy.EOLUtils$Mode$.determineEOL(EOLUtils.scala:59)",
        "org.apache.livy.EOLUtils$Mode$.hasWindowsEOL(EOLUtils.scala:79)",
        "org.apache.livy.EOLUtils$.convertLineEndings(EOLUtils.scala:91)",
        "org.apache.livy.EOLUtils$.convertToSystemEOL(EOLUtils.scala:88)",
        _HANDLE_EXECUTE))


def class_cast(from_class, to_class):
    """ClassCastException text for classes of java.base (what Jackson's erased Option[Int] gives)."""
    return (f"java.lang.ClassCastException: class {from_class} cannot be cast to class {to_class} "
            f"({from_class} and {to_class} are in module java.base of loader 'bootstrap')")


# --- Jackson deserialization errors (samples 110, 111, 114, 126) ---

JACKSON_SOURCE = "[Source: (org.eclipse.jetty.server.HttpInputOverHTTP); line: {line}, column: {column}]"
JACKSON_EMPTY_BODY = ("No content to map due to end-of-input\n at "
                      + JACKSON_SOURCE.format(line=1, column=0))


# --- Spark / PySpark texts used by the fake PySpark in the worker ---

# Java stack of a job cancelled through its job group (sample 075).
JOB_CANCELLED_STACK = "".join("\n\tat " + frame for frame in (
    "org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2856)",
    "org.apache.spark.scheduler.DAGScheduler.handleJobCancellation(DAGScheduler.scala:2731)",
    "org.apache.spark.scheduler.DAGScheduler.$anonfun$handleJobGroupCancelled$4(DAGScheduler.scala:1198)",
    "scala.runtime.java8.JFunction1$mcVI$sp.apply(JFunction1$mcVI$sp.java:23)",
    "scala.collection.mutable.HashSet.foreach(HashSet.scala:79)",
    "org.apache.spark.scheduler.DAGScheduler.handleJobGroupCancelled(DAGScheduler.scala:1197)",
    "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.doOnReceive(DAGScheduler.scala:3016)",
    "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.onReceive(DAGScheduler.scala:2994)",
    "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.onReceive(DAGScheduler.scala:2983)",
    "org.apache.spark.util.EventLoop$$anon$1.run(EventLoop.scala:49)",
    "org.apache.spark.scheduler.DAGScheduler.runJob(DAGScheduler.scala:989)",
    "org.apache.spark.SparkContext.runJob(SparkContext.scala:2393)",
    "org.apache.spark.SparkContext.runJob(SparkContext.scala:2414)",
    "org.apache.spark.SparkContext.runJob(SparkContext.scala:2433)",
    "org.apache.spark.SparkContext.runJob(SparkContext.scala:2458)",
    "org.apache.spark.rdd.RDD.$anonfun$collect$1(RDD.scala:1049)",
    "org.apache.spark.rdd.RDDOperationScope$.withScope(RDDOperationScope.scala:151)",
    "org.apache.spark.rdd.RDDOperationScope$.withScope(RDDOperationScope.scala:112)",
    "org.apache.spark.rdd.RDD.withScope(RDD.scala:410)",
    "org.apache.spark.rdd.RDD.collect(RDD.scala:1048)",
    "org.apache.spark.api.python.PythonRDD$.collectAndServe(PythonRDD.scala:195)",
    "org.apache.spark.api.python.PythonRDD.collectAndServe(PythonRDD.scala)",
    "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
    "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)",
    "java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke("
    "DelegatingMethodAccessorImpl.java:43)",
    "java.base/java.lang.reflect.Method.invoke(Method.java:569)",
    "py4j.reflection.MethodInvoker.invoke(MethodInvoker.java:244)",
    "py4j.reflection.ReflectionEngine.invoke(ReflectionEngine.java:374)",
    "py4j.Gateway.invoke(Gateway.java:282)",
    "py4j.commands.AbstractCommand.invokeMethod(AbstractCommand.java:132)",
    "py4j.commands.CallCommand.execute(CallCommand.java:79)",
    "py4j.GatewayConnection.run(GatewayConnection.java:238)",
    "java.base/java.lang.Thread.run(Thread.java:840)",
)) + "\n"

# Frames from SparkSession.sql down to Livy's SQL interpreter and its thread (sample 213).
_SQL_TAIL = (
    "org.apache.spark.sql.SparkSession.$anonfun$sql$4(SparkSession.scala:691)",
    "org.apache.spark.sql.SparkSession.withActive(SparkSession.scala:900)",
    "org.apache.spark.sql.SparkSession.sql(SparkSession.scala:682)",
    "org.apache.spark.sql.SparkSession.sql(SparkSession.scala:713)",
    "org.apache.spark.sql.SparkSession.sql(SparkSession.scala:744)",
    "org.apache.livy.repl.SQLInterpreter.execute(SQLInterpreter.scala:93)",
    "org.apache.livy.repl.Session.$anonfun$executeCode$1(Session.scala:277)",
    "scala.Option.map(Option.scala:230)",
    "org.apache.livy.repl.Session.executeCode(Session.scala:275)",
    "org.apache.livy.repl.Session.$anonfun$execute$1(Session.scala:169)",
    "scala.runtime.java8.JFunction0$mcV$sp.apply(JFunction0$mcV$sp.java:23)",
    "scala.concurrent.Future$.$anonfun$apply$1(Future.scala:659)",
    "scala.util.Success.$anonfun$map$1(Try.scala:255)",
    "scala.util.Success.map(Try.scala:213)",
    "scala.concurrent.Future.$anonfun$map$1(Future.scala:292)",
    "scala.concurrent.impl.Promise.liftedTree1$1(Promise.scala:33)",
    "scala.concurrent.impl.Promise.$anonfun$transform$1(Promise.scala:33)",
    "scala.concurrent.impl.CallbackRunnable.run(Promise.scala:64)",
    "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)",
    "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)",
    "java.base/java.lang.Thread.run(Thread.java:840)",
)

# Java frames Livy's SQL interpreter reports for an AnalysisException (sample 213).
SQL_ANALYSIS_FRAMES = (
    "org.apache.spark.sql.catalyst.analysis.package$AnalysisErrorAt.tableNotFound(package.scala:87)",
    "org.apache.spark.sql.catalyst.analysis.CheckAnalysis.$anonfun$checkAnalysis0$2(CheckAnalysis.scala:235)",
    "org.apache.spark.sql.catalyst.analysis.CheckAnalysis.$anonfun$checkAnalysis0$2$adapted("
    "CheckAnalysis.scala:215)",
    "org.apache.spark.sql.catalyst.trees.TreeNode.foreachUp(TreeNode.scala:244)",
    "org.apache.spark.sql.catalyst.trees.TreeNode.$anonfun$foreachUp$1(TreeNode.scala:243)",
    "org.apache.spark.sql.catalyst.trees.TreeNode.$anonfun$foreachUp$1$adapted(TreeNode.scala:243)",
    "scala.collection.Iterator.foreach(Iterator.scala:943)",
    "scala.collection.Iterator.foreach$(Iterator.scala:943)",
    "scala.collection.AbstractIterator.foreach(Iterator.scala:1431)",
    "scala.collection.IterableLike.foreach(IterableLike.scala:74)",
    "scala.collection.IterableLike.foreach$(IterableLike.scala:73)",
    "scala.collection.AbstractIterable.foreach(Iterable.scala:56)",
    "org.apache.spark.sql.catalyst.trees.TreeNode.foreachUp(TreeNode.scala:243)",
    "org.apache.spark.sql.catalyst.analysis.CheckAnalysis.checkAnalysis0(CheckAnalysis.scala:215)",
    "org.apache.spark.sql.catalyst.analysis.CheckAnalysis.checkAnalysis0$(CheckAnalysis.scala:197)",
    "org.apache.spark.sql.catalyst.analysis.Analyzer.checkAnalysis0(Analyzer.scala:202)",
    "org.apache.spark.sql.catalyst.analysis.CheckAnalysis.checkAnalysis(CheckAnalysis.scala:193)",
    "org.apache.spark.sql.catalyst.analysis.CheckAnalysis.checkAnalysis$(CheckAnalysis.scala:171)",
    "org.apache.spark.sql.catalyst.analysis.Analyzer.checkAnalysis(Analyzer.scala:202)",
    "org.apache.spark.sql.catalyst.analysis.Analyzer.$anonfun$executeAndCheck$1(Analyzer.scala:225)",
    "org.apache.spark.sql.catalyst.plans.logical.AnalysisHelper$.markInAnalyzer(AnalysisHelper.scala:330)",
    "org.apache.spark.sql.catalyst.analysis.Analyzer.executeAndCheck(Analyzer.scala:222)",
    "org.apache.spark.sql.execution.QueryExecution.$anonfun$analyzed$1(QueryExecution.scala:77)",
    "org.apache.spark.sql.catalyst.QueryPlanningTracker.measurePhase(QueryPlanningTracker.scala:138)",
    "org.apache.spark.sql.execution.QueryExecution.$anonfun$executePhase$2(QueryExecution.scala:219)",
    "org.apache.spark.sql.execution.QueryExecution$.withInternalError(QueryExecution.scala:546)",
    "org.apache.spark.sql.execution.QueryExecution.$anonfun$executePhase$1(QueryExecution.scala:219)",
    "org.apache.spark.sql.SparkSession.withActive(SparkSession.scala:900)",
    "org.apache.spark.sql.execution.QueryExecution.executePhase(QueryExecution.scala:218)",
    "org.apache.spark.sql.execution.QueryExecution.analyzed$lzycompute(QueryExecution.scala:77)",
    "org.apache.spark.sql.execution.QueryExecution.analyzed(QueryExecution.scala:74)",
    "org.apache.spark.sql.execution.QueryExecution.assertAnalyzed(QueryExecution.scala:66)",
    "org.apache.spark.sql.Dataset$.$anonfun$ofRows$2(Dataset.scala:99)",
    "org.apache.spark.sql.SparkSession.withActive(SparkSession.scala:900)",
    "org.apache.spark.sql.Dataset$.ofRows(Dataset.scala:97)",
) + _SQL_TAIL

# The same interpreter reports a parser error from the SQL parser's frames; the tail is shared.
SQL_PARSE_FRAMES = (
    "org.apache.spark.sql.catalyst.parser.ParseException.withCommand(ParseDriver.scala:257)",
    "org.apache.spark.sql.catalyst.parser.AbstractSqlParser.parse(ParseDriver.scala:98)",
    "org.apache.spark.sql.execution.SparkSqlParser.parse(SparkSqlParser.scala:54)",
    "org.apache.spark.sql.catalyst.parser.AbstractSqlParser.parsePlan(ParseDriver.scala:68)",
    "org.apache.spark.sql.Dataset$.ofRows(Dataset.scala:97)",
) + _SQL_TAIL


def table_not_found(table, line, pos, plan):
    """Spark 3.5's message for a missing table or view (samples 030 and 213)."""
    return (f"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{table}` cannot be found. Verify the "
            "spelling and correctness of the schema and catalog.\nIf you did not qualify the name "
            "with a schema, verify the current_schema() output, or qualify the name with the "
            "correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS or "
            f"DROP TABLE IF EXISTS.; line {line} pos {pos};\n{plan}")


# --- Log lines ---

def log_time(at=None):
    return time.strftime("%y/%m/%d %H:%M:%S", time.localtime(at))


def log_line(level, logger, message, at=None):
    return f"{log_time(at)} {level} {logger}: {message}"


def spark_tmp_dir():
    return f"/tmp/spark-{uuid.uuid4()}"


def local_startup_steps(app_name, port):
    """spark-submit output of a local-mode interactive session, as (fraction of startup, lines)."""
    block_manager = f"BlockManagerId(driver, localhost, {port + 1}, None)"
    user_files = f"{spark_tmp_dir()}/userFiles-{uuid.uuid4()}"
    return (
        (0.17, (
            ("WARN", "NativeCodeLoader", "Unable to load native-hadoop library for your platform... "
                                         "using builtin-java classes where applicable"),
            ("INFO", "RSCDriver", "Connecting to: 127.0.0.1:10000"),
            ("INFO", "RSCDriver", "Starting RPC server..."),
            ("INFO", "RpcServer", "Connected to the port 10001"),
        )),
        (0.25, (
            ("INFO", "RSCDriver", f"Received job request {uuid.uuid4()}"),
            ("INFO", "RSCDriver", "SparkContext not yet up, queueing job request."),
        )),
        (0.45, (
            ("INFO", "SparkEntries", "Starting Spark context..."),
            ("INFO", "SparkContext", f"Running Spark version {SPARK_VERSION}"),
            ("INFO", "SparkContext", "Java version 17.0.15"),
            ("INFO", "ResourceUtils", "=============================================================="),
            ("INFO", "ResourceUtils", "No custom resources configured for spark.driver."),
            ("INFO", "SparkContext", f"Submitted application: {app_name}"),
            ("INFO", "SecurityManager", "SecurityManager: authentication disabled; ui acls disabled; "
                                        "users with view permissions: root; groups with view "
                                        "permissions: EMPTY; users with modify permissions: root; "
                                        "groups with modify permissions: EMPTY"),
            ("INFO", "Utils", f"Successfully started service 'sparkDriver' on port {port}."),
            ("INFO", "SparkEnv", "Registering MapOutputTracker"),
            ("INFO", "SparkEnv", "Registering BlockManagerMaster"),
            ("INFO", "MemoryStore", "MemoryStore started with capacity 434.4 MiB"),
        )),
        (0.7, (
            ("INFO", "Executor", "Starting executor with user classpath (userClassPathFirst = false): ''"),
            ("INFO", "Executor", f"Using REPL class URI: spark://localhost:{port}/classes"),
            ("INFO", "Executor", "Fetching file:///opt/spark/python/lib/pyspark.zip with timestamp "
                                 f"{int(time.time() * 1000)}"),
            ("INFO", "Executor", f"Adding file:{user_files}/livy-rsc-0.10.0-incubating-SNAPSHOT.jar "
                                 "to class loader default"),
        )),
        (0.95, (
            ("INFO", "Utils", "Successfully started service 'org.apache.spark.network.netty."
                              f"NettyBlockTransferService' on port {port + 1}."),
            ("INFO", "NettyBlockTransferService", f"Server created on localhost:{port + 1}"),
            ("INFO", "BlockManager", "Using org.apache.spark.storage.RandomBlockReplicationPolicy "
                                     "for block replication policy"),
            ("INFO", "BlockManagerMaster", f"Registering BlockManager {block_manager}"),
            ("INFO", "BlockManagerMasterEndpoint", f"Registering block manager localhost:{port + 1} "
                                                   f"with 434.4 MiB RAM, {block_manager}"),
            ("INFO", "BlockManagerMaster", f"Registered BlockManager {block_manager}"),
            ("INFO", "BlockManager", f"Initialized BlockManager: {block_manager}"),
            ("INFO", "SparkEntries", "Spark context finished initialization in 1169ms"),
            ("INFO", "SparkEntries", "Created Spark session."),
        )),
    )


def yarn_submit_lines(app_id, queue, user, diagnostics, start_ms, rm_url):
    """What spark-submit prints in YARN cluster mode until it exits (yarn samples 027, 043)."""
    staging = f"file:/tmp/.sparkStaging/{app_id}"
    lines = [
        log_line("WARN", "NativeCodeLoader", "Unable to load native-hadoop library for your "
                                             "platform... using builtin-java classes where applicable"),
        log_line("INFO", "DefaultNoHARMFailoverProxyProvider",
                 "Connecting to ResourceManager at localhost/127.0.0.1:8032"),
        log_line("INFO", "Configuration", "resource-types.xml not found"),
        log_line("INFO", "ResourceUtils", "Unable to find 'resource-types.xml'."),
        log_line("INFO", "Client", "Verifying our application has not requested more than the "
                                   "maximum memory capability of the cluster (4096 MB per container)"),
        log_line("INFO", "Client", "Will allocate AM container, with 1408 MB memory including 384 MB "
                                   "overhead"),
        log_line("INFO", "Client", "Setting up container launch context for our AM"),
        log_line("INFO", "Client", "Setting up the launch environment for our AM container"),
        log_line("INFO", "Client", "Preparing resources for our AM container"),
    ]
    for jar in ("livy-api-0.10.0-incubating-SNAPSHOT.jar", "livy-rsc-0.10.0-incubating-SNAPSHOT.jar",
                "netty-all-4.1.96.Final.jar", "pyspark.zip", "py4j-0.10.9.7-src.zip"):
        lines.append(log_line("INFO", "Client", f"Uploading resource file:/opt/livy/rsc-jars/{jar} -> "
                                                f"{staging}/{jar}"))
    lines += [
        log_line("INFO", "Client", f"Submitting application {app_id} to ResourceManager"),
        log_line("INFO", "YarnClientImpl", f"Submitted application {app_id}"),
        log_line("INFO", "Client", f"Application report for {app_id} (state: ACCEPTED)"),
        log_line("INFO", "Client", ""),
        "\t client token: N/A",
        f"\t diagnostics: {diagnostics}",
        "\t ApplicationMaster host: N/A",
        "\t ApplicationMaster RPC port: -1",
        f"\t queue: {queue}",
        f"\t start time: {start_ms}",
        "\t final status: UNDEFINED",
        f"\t tracking URL: {rm_url}/proxy/{app_id}/",
        f"\t user: {user}",
        log_line("INFO", "ShutdownHookManager", "Shutdown hook called"),
        log_line("INFO", "ShutdownHookManager", f"Deleting directory {spark_tmp_dir()}"),
    ]
    return lines


def yarn_waiting_for_am(at=None):
    stamp = time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(at))
    return (f"[{stamp}] Application is Activated, waiting for resources to be assigned for AM.  "
            "Details : AM Partition = <DEFAULT_PARTITION> ; Partition Resource = <memory:4096, vCores:8> ; "
            "Queue's Absolute capacity = 100.0 % ; Queue's Absolute used capacity = 0.0 % ; "
            "Queue's Absolute max capacity = 100.0 % ; ")


def yarn_am_limit_exceeded(at=None):
    """The capacity scheduler's diagnostics when the queue cannot place another AM (notes 1.4)."""
    stamp = time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(at))
    return (f"[{stamp}] Application is added to the scheduler and is not yet activated. "
            "Queue's AM resource limit exceeded.  Details : AM Partition = <DEFAULT_PARTITION>; "
            "AM Resource Request = <memory:1408, vCores:1>; Queue Resource Limit for AM = "
            "<memory:1024, vCores:1>; User AM Resource Limit of the queue = <memory:1024, vCores:1>; "
            "Queue AM Resource Usage = <memory:1408, vCores:1>; ")


YARN_AM_LAUNCHED = "AM container is launched, waiting for AM container to Register with RM"


def invalid_driver_memory_lines(memory):
    """A JVM refusing -Xmx<driverMemory> (sample 187)."""
    return (f"Invalid maximum heap size: -Xmx{memory}",
            "Error: Could not create the Java Virtual Machine.",
            "Error: A fatal exception has occurred. Program will exit.")


def injected_start_failure_lines(key):
    return (
        f'Exception in thread "main" org.apache.spark.SparkException: Failed to start the Spark '
        f"driver ({key}=true was set in the session conf to make the Livy double fail)",
        "\tat org.apache.spark.deploy.SparkSubmit.doRunMain$1(SparkSubmit.scala:1029)",
        "\tat org.apache.spark.deploy.SparkSubmit.main(SparkSubmit.scala)",
        log_line("INFO", "ShutdownHookManager", "Shutdown hook called"),
    )


# --- Error answers ---

class LivyError(Exception):
    """An error answer as Livy gives it: a status and a JSON body ({"msg": ...} or a bare string)."""

    def __init__(self, status, body):
        super().__init__(f"{status}: {body}")
        self.status, self.body = status, body


def session_not_found(key):
    return LivyError(404, {"msg": f"Session '{key}' not found."})


def illegal_state(state):
    return LivyError(500, f"java.lang.IllegalStateException: Session is in state {state}")


def rejected(reason):
    """What SessionManager answers when it refuses a new session (samples 102, 113, 152, 153)."""
    return LivyError(400, {"msg": f"Rejected, Reason: {reason}"})


def number_format(text):
    """Scalatra's answer to a non-numeric id or paging parameter (sample 124)."""
    return LivyError(400, {"msg": f'For input string: "{text}"'})
