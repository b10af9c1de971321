"""Runs a batch's .py file the way spark-submit runs a PySpark application, with the fake PySpark.

Usage: double_batch_runner.py CONFIG_JSON FILE [ARGS...]

The output mimics a local-mode spark-submit (samples 144, 151, 157): Spark's start-up lines when the
script creates its SparkSession, the script's own output, its traceback trimmed to the script's
frames, and the shutdown hook's lines at the end. The exit code is the script's.
"""

import json
import os
import runpy
import sys
import traceback

import fake_pyspark
from double_texts import SPARK_VERSION, log_line, spark_tmp_dir


class SparkSubmitLog:
    """spark-submit's own lines, written to stderr between the script's output."""

    def __init__(self):
        self.context_started = False

    @staticmethod
    def _log(level, logger, message):
        print(log_line(level, logger, message), file=sys.stderr, flush=True)

    def context_created(self, conf):
        self._log("INFO", "SparkContext", f"Running Spark version {SPARK_VERSION}")
        self._log("INFO", "ResourceUtils", "No custom resources configured for spark.driver.")
        self._log("INFO", "SparkContext", f"Submitted application: {conf.get('spark.app.name')}")
        self._log("INFO", "Utils", "Successfully started service 'sparkDriver' on port 46369.")
        self._log("INFO", "SparkUI", "Bound SparkUI to 0.0.0.0, and started at http://localhost:4040")
        self.context_started = True

    def shutdown(self, exit_code):
        if self.context_started:
            self._log("INFO", "SparkContext", f"SparkContext is stopping with exitCode {exit_code}.")
            self._log("INFO", "SparkUI", "Stopped Spark web UI at http://localhost:4040")
            self._log("INFO", "SparkContext", "Successfully stopped SparkContext")
        self._log("INFO", "ShutdownHookManager", "Shutdown hook called")
        self._log("INFO", "ShutdownHookManager", f"Deleting directory {spark_tmp_dir()}")


def run(path, args):
    """The script's exit code; its traceback goes to stderr, starting at its own frames."""
    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(path))
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException as error:
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != path:
            tb = tb.tb_next
        traceback.print_exception(type(error), error, tb)
        return 1
    return 0


def main():
    config_path, path, *args = sys.argv[1:]
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    path = os.path.abspath(path)
    submit_log = SparkSubmitLog()
    if not os.path.isfile(path):
        print(f"{sys.executable}: can't open file '{path}': [Errno 2] No such file or directory",
              file=sys.stderr)
        code = 2
    else:
        fake_pyspark.install_for_batch(config["conf"], config["application_id"], config["user"],
                                       submit_log.context_created)
        code = run(path, args)
    sys.stdout.flush()
    submit_log.shutdown(code)
    sys.exit(code)


if __name__ == "__main__":
    main()
