"""Test tiers: the modules that need a real system beside the kernel (a KDC, a YARN cluster, Spark, a browser)
are marked `system`; the rest drive the kernel against the doubles on loopback. bin/test --process runs the
latter, bin/test --system the former, and bin/test everything."""
import pytest

SYSTEM_MODULES = {"test_kerberos", "test_kerberos_spark_ui", "test_submit_yarn", "test_submit_spark", "test_analyze",
                  "test_jupyterhub"}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in SYSTEM_MODULES:
            item.add_marker(pytest.mark.system)
