"""Livy 0.9 on Kubernetes, as its answers show a session's Spark application (the double's `kubernetes` mode).

From apache/incubator-livy server/src/main/scala/org/apache/livy/utils/SparkKubernetesApp.scala (and its
SparkKubernetesAppSpec): Livy finds the driver pod by its `spark-app-tag` label; the session's `appId` is the
pod's `spark-app-selector` label, which Spark sets to `spark-` and 32 hex digits (KubernetesConf's app id);
`appInfo` carries `sparkUiUrl` only (Livy's Spark UI link format filled with the app id, and only while the
driver pod is Running; driverLogUrl and executorLogUrls stay null: there are no YARN containers or proxy);
the log is "stdout: " + the driver pod's log (its last livy.cache-log.size lines), "\\nstderr: " + spark-submit's
output, "\\nKubernetes Diagnostics: " + per pod, the driver first and then the executors by name, the
"<pod>.<namespace>:" line and tab-indented node, hostname, podIp, startTime, phase, reason, message, labels,
containers and conditions. A driver pod that is gone (deleted, killed) leaves no diagnostics and no UI.
"""

import random
import re
import time
import uuid

import double_texts as texts

DIAGNOSTICS_HEADER = "\nKubernetes Diagnostics: "
NAMESPACE = "default"   # spark.kubernetes.namespace's default
MASTER = "k8s://https://kubernetes.default.svc:443"
IMAGE = f"apache/spark:{texts.SPARK_VERSION}"


def new_app_id():
    return "spark-" + uuid.uuid4().hex


def app_tag(number, kind="session"):
    """The tag Livy puts on the application (`spark-app-tag`): livy-session-N- (livy-batch-N-) and 8 random
    characters."""
    return f"livy-{kind}-{number}-" + "".join(random.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=8))


def pod_prefix(app_name):
    """Spark's resource name prefix: the application name made DNS-safe, and a unique id."""
    name = re.sub(r"[^a-z0-9-]", "-", app_name.lower()).strip("-")[:40] or "spark"
    return f"{name}-{uuid.uuid4().hex[:16]}"


def conf(app_id, tag, prefix):
    """What Livy and spark-submit set for a Kubernetes session."""
    return {"spark.master": MASTER, "spark.submit.deployMode": "cluster",
            "spark.kubernetes.namespace": NAMESPACE, "spark.kubernetes.container.image": IMAGE,
            "spark.kubernetes.driver.pod.name": f"{prefix}-driver", "spark.app.id": app_id,
            "spark.kubernetes.driver.label.spark-app-tag": tag,
            "spark.kubernetes.executor.label.spark-app-tag": tag}


def submit_lines(prefix, app_name, app_id, phase):
    """spark-submit's output in cluster mode (LoggingPodStatusWatcherImpl) while it waits for the driver pod."""
    return [
        texts.log_line("INFO", "KubernetesClientUtils", "Spark configuration files loaded from "
                                                        "Some(/opt/spark/conf) : "),
        texts.log_line("INFO", "LoggingPodStatusWatcherImpl", "State changed, new state: "),
        f"\t pod name: {prefix}-driver",
        f"\t namespace: {NAMESPACE}",
        f"\t phase: {phase}",
        texts.log_line("INFO", "LoggingPodStatusWatcherImpl",
                       f"Deployed Spark application {app_name} with application ID {app_id} and submission ID"
                       f" {NAMESPACE}:{prefix}-driver into Kubernetes"),
    ]


UNSCHEDULABLE = "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No " \
    "preemption victims found for incoming pod."


def _pod(name, role, app_id, tag, phase, index, reason=None, message=None, unschedulable=False):
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    ready = "True" if phase == "Running" else "False"
    container = "spark-kubernetes-driver" if role == "driver" else "spark-kubernetes-executor"
    args = ("[driver, --properties-file, /opt/spark/conf/spark.properties, --class, "
            "org.apache.livy.rsc.driver.RSCDriverBootstrapper, spark-internal]") if role == "driver" \
        else "[executor]"
    # One string per pod, split at its newlines, as KubernetesAppReport.getApplicationDiagnostics does.
    text = (f"{name}.{NAMESPACE}:"
            f"\n\tnode: worker-{index % 3 + 1}"
            f"\n\thostname: null"
            f"\n\tpodIp: 10.244.{index % 3 + 1}.{17 + index}"
            f"\n\tstartTime: {started}"
            f"\n\tphase: {phase}"
            f"\n\treason: {reason or 'null'}"
            f"\n\tmessage: {message or 'null'}"
            f"\n\tlabels: spark-app-selector={app_id}, spark-app-tag={tag}, spark-role={role}"
            f"\n\tcontainers:"
            f"\n\t\t{container}:"
            f"\n\t\t\timage: {IMAGE}"
            f"\n\t\t\trequests: cpu=1, memory=1408Mi"
            f"\n\t\t\tlimits: memory=1408Mi"
            f"\n\t\t\tcommand: [] {args}"
            f"\n\tconditions:"
            f"\n\t\tPodCondition(lastProbeTime=null, lastTransitionTime={started}, message=null, reason=null,"
            f" status={ready}, type=Ready, additionalProperties={{}})")
    if unschedulable:   # the scheduler's condition on a pod no node can take
        text += (f"\n\t\tPodCondition(lastProbeTime=null, lastTransitionTime={started}, message={UNSCHEDULABLE},"
                 f" reason=Unschedulable, status=False, type=PodScheduled, additionalProperties={{}})")
    return text.split("\n")


def diagnostics(prefix, app_id, tag, driver_phase, executors=0, reason=None, message=None, unschedulable=False):
    """The diagnostics lines: the driver pod, then its executors (by name)."""
    lines = _pod(f"{prefix}-driver", "driver", app_id, tag, driver_phase, 0, reason, message, unschedulable)
    for n in range(1, executors + 1):
        lines += _pod(f"{prefix}-exec-{n}", "executor", app_id, tag, "Running", n)
    return lines
