"""A real MIT Kerberos KDC on 127.0.0.1 for tests: Debian's krb5-kdc, in a temporary directory.

    with TestKdc(realm="LIVY.TEST") as kdc:
        kdc.add_principal("alice")                       # random key
        kdc.keytab("alice")                              # -> Path of a keytab holding alice's keys
        kdc.kinit("alice", ccache)                       # a ticket cache, with kinit -k
        kdc.env                                          # KRB5_CONFIG / KRB5_KDC_PROFILE for child processes

Everything lives in its own directory: krb5.conf (the realm, its KDC on a free TCP port), kdc.conf,
the database and stash. Nothing under /etc is read or written. `start()` raises KdcError with the
KDC's own words when it cannot start; it never skips.
"""
import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

KDB5_UTIL = "/usr/sbin/kdb5_util"
KADMIN_LOCAL = "/usr/sbin/kadmin.local"
KRB5KDC = "/usr/sbin/krb5kdc"
KINIT = "/usr/bin/kinit"
PACKAGES = "krb5-kdc krb5-admin-server krb5-user"


class KdcError(RuntimeError):
    pass


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    """The KDC gets SIGTERM when the test process dies, even killed: no KDC outlives its tests."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class TestKdc:
    __test__ = False   # not a pytest test class

    def __init__(self, realm="LIVY.TEST", ticket_lifetime="10h"):
        self.realm = realm
        self.ticket_lifetime = ticket_lifetime
        self.dir = None
        self.port = None
        self._process = None

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        missing = [tool for tool in (KDB5_UTIL, KADMIN_LOCAL, KRB5KDC, KINIT) if not os.access(tool, os.X_OK)]
        if missing:
            raise KdcError(f"cannot start a test KDC: {', '.join(missing)} missing; install the Debian packages "
                           f"{PACKAGES} (bin/setup-debian --tests does)")
        self.dir = Path(tempfile.mkdtemp(prefix="livy-kdc-"))
        self.port = _free_port()
        self.krb5_conf = self.dir / "krb5.conf"
        self.kdc_conf = self.dir / "kdc.conf"
        # TCP only (udp_preference_limit 1): the JDK and MIT both honour it, and a TCP connection refused
        # is reported at once where a lost UDP datagram waits for a timeout.
        self.krb5_conf.write_text(f"""[libdefaults]
    default_realm = {self.realm}
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    udp_preference_limit = 1
    kdc_timeout = 3000
    max_retries = 1
    ticket_lifetime = {self.ticket_lifetime}
    forwardable = true
[realms]
    {self.realm} = {{
        kdc = 127.0.0.1:{self.port}
    }}
[domain_realm]
    localhost = {self.realm}
""")
        self.kdc_conf.write_text(f"""[kdcdefaults]
    kdc_listen = 127.0.0.1:{self.port}
    kdc_tcp_listen = 127.0.0.1:{self.port}
[realms]
    {self.realm} = {{
        database_name = {self.dir}/principal
        key_stash_file = {self.dir}/stash
        acl_file = {self.dir}/kadm5.acl
        max_life = {self.ticket_lifetime}
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    }}
[logging]
    kdc = FILE:{self.dir}/kdc.log
""")
        (self.dir / "kadm5.acl").write_text("")
        self.env = {"KRB5_CONFIG": str(self.krb5_conf), "KRB5_KDC_PROFILE": str(self.kdc_conf),
                    "KRB5RCACHETYPE": "none"}
        try:
            self._run(KDB5_UTIL, "create", "-s", "-r", self.realm, "-P", "test-master-key")
            self._process = subprocess.Popen([KRB5KDC, "-n", "-r", self.realm], env=self._env(),
                                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                             preexec_fn=_die_with_parent)
            self._wait_listening()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # ------------------------------------------------------------------ principals
    def principal(self, name):
        return name if "@" in name else f"{name}@{self.realm}"

    def add_principal(self, name, max_life=None):
        """A principal with a random key; `max_life` (e.g. "3s") caps its tickets' lifetime."""
        self._kadmin(f"addprinc -randkey {f'-maxlife {max_life} ' if max_life else ''}{self.principal(name)}")
        return self.principal(name)

    def keytab(self, name, path=None):
        """A keytab with the principal's current keys (exporting changes them: randkey)."""
        path = Path(path) if path else self.dir / (name.replace("/", "_") + ".keytab")
        self._kadmin(f"ktadd -k {path} {self.principal(name)}")
        return path

    def delete_principal(self, name):
        self._kadmin(f"delprinc -force {self.principal(name)}")

    def kinit(self, name, ccache, keytab=None, lifetime=None):
        """Fills the ticket cache `ccache` (a path) with the principal's TGT, from its keytab; `lifetime`
        as kinit -l takes it (e.g. "5s")."""
        keytab = keytab or self.keytab(name)
        self._run(KINIT, "-k", "-t", str(keytab), "-c", f"FILE:{ccache}", *(("-l", lifetime) if lifetime else ()),
                  self.principal(name))
        return Path(ccache)

    # ------------------------------------------------------------------ helpers
    def _env(self):
        return {**os.environ, **self.env}

    def _kadmin(self, query):
        self._run(KADMIN_LOCAL, "-r", self.realm, "-q", query)

    def _run(self, *command):
        result = subprocess.run(command, env=self._env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, timeout=30)
        # kadmin.local exits 0 even when the query fails; its complaints name the principal.
        failed = result.returncode != 0 or any(
            line.startswith(("add_principal:", "delete_principal:", "kadmin.local:", "ktadd:"))
            and ("error" in line.lower() or "not" in line.lower() or "failed" in line.lower())
            for line in result.stdout.splitlines())
        if failed:
            raise KdcError(f"test KDC: {' '.join(command[:2])} failed: {result.stdout.strip()}")
        return result.stdout

    def _wait_listening(self):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                output = self._process.stdout.read().decode(errors="replace")
                log = (self.dir / "kdc.log").read_text(errors="replace") if (self.dir / "kdc.log").exists() else ""
                raise KdcError(f"cannot start the test KDC (krb5kdc exited {self._process.returncode}): "
                               f"{(output + log).strip()[-800:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise KdcError(f"the test KDC did not listen on 127.0.0.1:{self.port} within 15 s")


@contextlib.contextmanager
def running_realm(realm="LIVY.TEST", principals=("HTTP/localhost", "alice", "bob"), **options):
    """A started TestKdc with these principals and a keytab for each (`kdc.keytabs[name]`). Its krb5.conf
    is this process's too while it runs (KRB5_CONFIG...), for in-process acceptors and initiators."""
    with TestKdc(realm=realm, **options) as kdc:
        kdc.keytabs = {}
        for name in principals:
            kdc.add_principal(name)
            kdc.keytabs[name] = kdc.keytab(name)
        saved = {name: os.environ.get(name) for name in kdc.env}
        os.environ.update(kdc.env)
        try:
            yield kdc
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
