"""Real YARN applications behind the double's sessions (option `yarn_applications`): Livy on YARN runs spark-submit
in cluster mode for each session, finds the application by the tag it added, reports its id and tracking URL, and
kills it through its YARN client when the session is deleted. The double does the same against a real cluster
(tests/yarn-cluster): the application carries the session's name and the conf YARN sees (tags, queue, memory,
executors) and holds real containers, so what the ResourceManager accounts for a session is real. Statements still
run in the double's fake PySpark; the application itself only waits until it is killed."""

import json
import re
import subprocess
import time
import urllib.error
import urllib.request

# conf the application does not need: files and jars belong to the double's REPL, not to the waiting application
_REPL_ONLY = ("spark.jars", "spark.submit.pyFiles", "spark.files", "spark.archives")
_APP_ID = re.compile(r"Submitting application (application_\d+_\d+) to ResourceManager")
SUBMIT_SECONDS = 120
KILL_SECONDS = 10


class LaunchFailed(Exception):
    """spark-submit could not submit the application; the message holds the end of what it said."""


class SparkSubmitApplications:
    """Starts one long-lived application per session with `spark_submit` (a command, e.g. [SPARK_HOME/bin/
    spark-submit]) in `env` (SPARK_CONF_DIR, HADOOP_CONF_DIR...), running `job` (--class, jar and arguments of a
    job that keeps its executors until killed), and kills it through the ResourceManager's REST API at
    `resource_manager` (PUT /ws/v1/cluster/apps/{id}/state)."""

    def __init__(self, spark_submit, env, resource_manager, job):
        self.spark_submit, self.env, self.job = list(spark_submit), dict(env), list(job)
        self.resource_manager = resource_manager.rstrip("/")

    def launch(self, name, conf, cancelled=lambda: False):
        """Submits the application and returns its id once YARN runs it (its application master, the driver, has
        registered: when Livy's REPL would connect back), or as soon as `cancelled()` (the caller then kills it)."""
        command = [*self.spark_submit, "--master", "yarn", "--deploy-mode", "cluster", "--name", name,
                   "--conf", "spark.yarn.submit.waitAppCompletion=false"]
        for key, value in conf.items():
            if key not in _REPL_ONLY and key not in ("spark.master", "spark.submit.deployMode", "spark.app.name"):
                command += ["--conf", f"{key}={value}"]
        try:
            done = subprocess.run([*command, *self.job], env=self.env, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=SUBMIT_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise LaunchFailed(f"spark-submit did not run: {error}") from error
        found = _APP_ID.search(done.stdout + done.stderr)
        if done.returncode != 0 or found is None:
            raise LaunchFailed(f"spark-submit exited with {done.returncode}:\n"
                               + "\n".join((done.stdout + done.stderr).splitlines()[-20:]))
        app_id = found.group(1)
        end = time.monotonic() + SUBMIT_SECONDS
        while not cancelled() and time.monotonic() < end:
            try:
                app = self.app(app_id)
            except (urllib.error.URLError, OSError, KeyError, ValueError) as error:
                raise LaunchFailed(f"the ResourceManager did not describe application {app_id}: {error}") from error
            if app["state"] == "RUNNING":
                break
            if app["state"] in ("FINISHED", "FAILED", "KILLED"):
                raise LaunchFailed(f"Application {app_id} ended {app['state']} before it ran: {app['diagnostics']}")
            time.sleep(0.2)
        return app_id

    def app(self, app_id):
        """The application as the ResourceManager's REST API describes it."""
        with urllib.request.urlopen(f"{self.resource_manager}/ws/v1/cluster/apps/{app_id}", timeout=10) as answer:
            return json.load(answer)["app"]

    def tracking_url(self, app_id):
        """The application's Spark UI as YARN's proxy offers it (Livy's appInfo.sparkUiUrl)."""
        return f"{self.resource_manager}/proxy/{app_id}/"

    def kill(self, app_id):
        """Kills the application and returns once YARN has ended it, as YarnClient.killApplication (Livy's) does:
        the ResourceManager answers 202 while the kill is under way, 200 once it is done."""
        request = urllib.request.Request(f"{self.resource_manager}/ws/v1/cluster/apps/{app_id}/state",
                                         data=json.dumps({"state": "KILLED"}).encode(), method="PUT",
                                         headers={"Content-Type": "application/json"})
        end = time.monotonic() + KILL_SECONDS
        while time.monotonic() < end:
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                return   # the cluster is gone (or knows no such application): nothing is left to kill
            time.sleep(0.1)
