# JupyterHub configuration for tests/integration/test_jupyterhub.py: a hub on loopback whose users are
# single-user classic notebook servers started as local processes, with the livy-kernel kernelspec and a
# platform configuration file that points the kernel at the Livy test double.
#
# Everything machine-specific comes from the environment the test sets (LIVY_HUB_*), so this file reads as
# what a platform team would write: the spawner hands every server the shared kernel configuration
# (LIVY_KERNEL_CONFIG) and the kernelspec location (JUPYTER_PATH); the kernel takes proxyUser from the
# JUPYTERHUB_USER the spawner sets.
import os

c = get_config()  # noqa: F821  (defined by JupyterHub when it loads this file)
env = os.environ
USER_PORTS = dict(item.split(":") for item in env["LIVY_HUB_USER_PORTS"].split(","))  # user -> server port

# The hub, its proxy and its API on loopback, on ports the test chose.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(env["LIVY_HUB_PORT"])
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["LIVY_HUB_API_PORT"])
c.ConfigurableHTTPProxy.command = ["/usr/bin/configurable-http-proxy"]
# Debian's proxy loads its modules from /usr/share/nodejs, which only Debian's own Node.js searches by itself.
os.environ["NODE_PATH"] = os.pathsep.join(p for p in ("/usr/share/nodejs", env.get("NODE_PATH")) if p)
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['LIVY_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.pid_file = os.path.join(env["LIVY_HUB_STATE"], "proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(env["LIVY_HUB_STATE"], "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(env["LIVY_HUB_STATE"], "cookie_secret")
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# A test authenticator: the listed users, one shared password.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = env["LIVY_HUB_PASSWORD"]
c.Authenticator.allowed_users = set(USER_PORTS)

# Single-user servers as local processes without unix users (test only), classic notebook UI.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(env["LIVY_HUB_HOMES"], "{username}")
c.Spawner.cmd = ["/usr/bin/jupyterhub-singleuser"]


# Each user's server listens on a port the test reserved for it, outside the ephemeral range: a port the
# spawner picked at random was once taken by another server before this one bound it, and the hub took that
# other user's server for the new one.
def use_reserved_port(spawner):
    spawner.port = int(USER_PORTS[spawner.user.name])


c.Spawner.pre_spawn_hook = use_reserved_port
c.Spawner.default_url = "/tree"
# Kernels idle this long with no browser tab open are shut down by the notebook server (and so delete their
# Livy sessions); the README advises an hour, the test a few seconds.
c.Spawner.args = [f"--MappingKernelManager.cull_idle_timeout={env.get('LIVY_HUB_CULL_IDLE_SECONDS', '3600')}",
                  f"--MappingKernelManager.cull_interval={env.get('LIVY_HUB_CULL_INTERVAL_SECONDS', '300')}"]
if os.getuid() == 0:  # CI containers run as root; the notebook server refuses that unless told
    c.Spawner.args.append("--allow-root")
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "JUPYTERHUB_SINGLEUSER_APP": "notebook.notebookapp.NotebookApp",
    # The platform's kernel settings: one file for every user (endpoint, defaults, heartbeat).
    "LIVY_KERNEL_CONFIG": env["LIVY_KERNEL_CONFIG"],
    # Where the kernelspec was installed (`livy-kernel.jar install --prefix PREFIX` -> PREFIX/share/jupyter).
    "JUPYTER_PATH": env["JUPYTER_PATH"],
}
