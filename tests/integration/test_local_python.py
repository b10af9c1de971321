"""The local backend's child Python (agent.py) as a notebook user sees it, through real jupyter_client.

Covers what the pipes between the kernel and its child IPython must not lose or reorder: output written to
file descriptors 1 and 2 by subprocesses and C code, the order of prints, stderr, display() and the
result, multi-byte characters split across writes, several MB of output, output from background threads;
input() and getpass() through the frontend, an interrupt while input() waits; the child dying mid-cell;
window toolkits (%matplotlib qt) and %matplotlib inline; a configured interpreter without IPython; and the
pager, completion and inspection answered by the child's IPython.

Most tests share one kernel; those that kill the child or configure another interpreter start their own.
"""
import os
import re
import signal

import pytest
from jupyter_client.manager import KernelManager, start_new_kernel

from conftest import KERNEL_NAME
from kernel_tools import alive, kernel_pid, run_cell, shell_reply, stdout_of, wait_until

ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def shared():
    """One kernel for the tests that leave it usable; its first cell (the backend notice) is already run."""
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)
    try:
        run_cell(kc, "pass", timeout=90)
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def own_kernel(env=None):
    km = KernelManager(kernel_name=KERNEL_NAME)
    km.start_kernel(env=dict(os.environ, **(env or {})))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def outputs_in_order(outputs):
    """What the notebook shows, in order: consecutive stream messages of one stream are joined, as
    frontends join them into one output."""
    shown = []
    for m in outputs:
        kind, c = m["msg_type"], m["content"]
        if kind == "stream":
            if shown and shown[-1][0] == c["name"]:
                shown[-1] = (c["name"], shown[-1][1] + c["text"])
            else:
                shown.append((c["name"], c["text"]))
        elif kind in ("display_data", "execute_result"):
            shown.append((kind, c["data"]["text/plain"]))
        else:
            shown.append((kind, None))
    return shown


def iopub_of(kc, msg_id, timeout=30):
    """The iopub messages of a request sent earlier, up to its idle status (status and execute_input left out)."""
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return outputs
        if msg["msg_type"] not in ("status", "execute_input"):
            outputs.append(msg)


def printed_by(kc, code):
    """The stdout of a cell that must succeed."""
    reply, outputs = run_cell(kc, code)
    assert reply["content"]["status"] == "ok"
    return stdout_of(outputs)


def answer_input(kc, msg_id, value, timeout=30):
    """Waits for the cell's input_request, answers it, and returns the request."""
    request = kc.get_stdin_msg(timeout=timeout)
    assert request["msg_type"] == "input_request"
    assert request["parent_header"]["msg_id"] == msg_id
    kc.input(value)
    return request


def test_subprocess_output_shows_in_order_with_prints(shared):
    _, kc = shared
    code = ("import os, subprocess\n"
            "print('before')\n"
            "subprocess.run(['echo', 'from echo'])\n"
            "print('middle')\n"
            "os.system('echo from os.system')\n"
            "os.write(1, b'from fd 1\\n')\n"
            "print('after')")
    assert printed_by(kc, code) == "before\nfrom echo\nmiddle\nfrom os.system\nfrom fd 1\nafter\n"


def test_writes_to_fd_1_and_prints_alternating_in_a_loop_keep_their_order(shared):
    _, kc = shared
    code = ("import os\n"
            "for i in range(300):\n"
            "    os.write(1, f'fd {i}\\n'.encode())\n"
            "    print(f'py {i}')")
    assert printed_by(kc, code) == "".join(f"fd {i}\npy {i}\n" for i in range(300))


def test_a_subprocess_writing_to_stderr_shows_as_stderr(shared):
    _, kc = shared
    reply, outputs = run_cell(kc, "import subprocess\n_ = subprocess.run(['sh', '-c', 'echo oops >&2'])")
    assert reply["content"]["status"] == "ok"
    assert outputs_in_order(outputs) == [("stderr", "oops\n")]


def test_outputs_keep_their_order_across_streams_displays_and_the_result(shared):
    _, kc = shared
    code = ("import os, sys\n"
            "from IPython.display import display\n"
            "print('err 1', file=sys.stderr)\n"
            "print('out 1')\n"
            "sys.stderr.write('err 2\\n')\n"
            "display('shown')\n"
            "print('out 2')\n"
            "os.write(2, b'err 3\\n')\n"
            "print('out 3')\n"
            "'result'")
    reply, outputs = run_cell(kc, code)
    assert reply["content"]["status"] == "ok"
    assert outputs_in_order(outputs) == [
        ("stderr", "err 1\n"), ("stdout", "out 1\n"), ("stderr", "err 2\n"), ("display_data", "'shown'"),
        ("stdout", "out 2\n"), ("stderr", "err 3\n"), ("stdout", "out 3\n"), ("execute_result", "'result'")]


def test_a_character_split_across_two_writes_to_fd_1_arrives_whole(shared):
    _, kc = shared
    # The pause lets the kernel read (and send) the first half alone before the second is written.
    code = ("import os, time\n"
            "encoded = '\\N{GRINNING FACE}'.encode('utf-8')\n"
            "os.write(1, encoded[:2])\n"
            "time.sleep(0.3)\n"
            "os.write(1, encoded[2:] + b'!\\n')")
    assert printed_by(kc, code) == "\N{GRINNING FACE}!\n"


def test_several_megabytes_of_output_arrive_complete_and_the_kernel_stays_responsive(shared):
    _, kc = shared
    lines = 100_000  # about 7 MB
    reply, outputs = run_cell(kc, f"for i in range({lines}):\n    print(f'{{i:06d}} ' + 'x' * 60)", timeout=180)
    assert reply["content"]["status"] == "ok"
    text = stdout_of(outputs)
    assert len(text) > 6_000_000
    assert text == "".join(f"{i:06d} {'x' * 60}\n" for i in range(lines))
    assert shell_reply(kc, kc.kernel_info())["content"]["status"] == "ok"
    _, outputs = run_cell(kc, "print(6 * 7)")
    assert stdout_of(outputs) == "42\n"


def test_output_of_a_background_thread_shows_in_the_running_cell(shared):
    _, kc = shared
    code = ("import subprocess, threading\n"
            "printed = threading.Event()\n"
            "def work():\n"
            "    print('from the thread')\n"
            "    subprocess.run(['echo', 'from its subprocess'])\n"
            "    printed.set()\n"
            "threading.Thread(target=work).start()\n"
            "printed.wait()\n"
            "print('cell done')")
    assert printed_by(kc, code) == "from the thread\nfrom its subprocess\ncell done\n"


def test_output_of_forked_worker_processes_shows_in_the_cell(shared):
    """multiprocessing's fork workers print through the cell's stdout object, copied into them without the
    thread that sends it: every line they print must still reach the cell."""
    _, kc = shared
    code = ("import multiprocessing\n"
            "def work(i):\n"
            "    print('worker', i)\n"
            "    return i * 2\n"
            "with multiprocessing.get_context('fork').Pool(2) as pool:\n"
            "    print(pool.map(work, range(4)))")
    lines = printed_by(kc, code).splitlines()
    assert sorted(lines[:-1]) == [f"worker {i}" for i in range(4)]
    assert lines[-1] == "[0, 2, 4, 6]"


def test_output_of_a_thread_after_its_cell_ended_shows_under_that_cell(shared):
    """As under ipykernel: a background thread that prints while no cell runs (a progress report, a timer)
    is not lost; its text goes to the cell that ran last."""
    _, kc = shared
    msg_id = kc.execute("import threading\nthreading.Timer(0.5, print, ['later, from the timer']).start()")
    late = [m for m in iopub_of(kc, msg_id) if m["msg_type"] == "stream"]
    while not late:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            late.append(msg)
    assert late[0]["content"] == {"name": "stdout", "text": "later, from the timer\n"}


def test_interrupting_input_raises_keyboard_interrupt_and_the_next_input_gets_its_own_answer(shared):
    km, kc = shared
    first = kc.execute("answer = input('first? ')", allow_stdin=True)
    request = kc.get_stdin_msg(timeout=30)
    assert request["content"]["prompt"] == "first? "
    km.interrupt_kernel()
    reply = shell_reply(kc, first, timeout=30)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    (error,) = iopub_of(kc, first)  # one error, no second interrupt's traces
    assert error["msg_type"] == "error" and any("KeyboardInterrupt" in line for line in error["content"]["traceback"])
    kc.input("stale")  # the user answers the old prompt after all, too late
    run_cell(kc, "pass")
    second = kc.execute("answer = input('second? ')\nprint('got', repr(answer))", allow_stdin=True)
    assert answer_input(kc, second, "fresh")["content"]["prompt"] == "second? "
    assert shell_reply(kc, second, timeout=30)["content"]["status"] == "ok"
    _, outputs = run_cell(kc, "print(answer)")
    assert stdout_of(outputs) == "fresh\n"


def test_getpass_asks_the_frontend_for_a_password(shared):
    _, kc = shared
    msg_id = kc.execute("import getpass\nsecret = getpass.getpass('Token: ')", allow_stdin=True)
    request = answer_input(kc, msg_id, "s3cr3t")
    assert request["content"] == {"prompt": "Token: ", "password": True}
    assert shell_reply(kc, msg_id, timeout=30)["content"]["status"] == "ok"
    _, outputs = run_cell(kc, "print(len(secret), secret == 's3cr3t')")
    assert stdout_of(outputs) == "6 True\n"


def test_a_window_toolkit_is_refused_with_a_clear_message_in_the_cell(shared):
    _, kc = shared
    _, outputs = run_cell(kc, "%gui qt")  # IPython's %gui reports a toolkit it cannot enable on stderr
    said = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
    assert "'qt' cannot run in the local backend" in said and "%matplotlib inline" in said
    _, outputs = run_cell(kc, "print('still here')")
    assert stdout_of(outputs) == "still here\n"


def test_matplotlib_qt_is_a_clear_error_and_inline_draws_in_the_cell(shared):
    _, kc = shared
    reply, _ = run_cell(kc, "import importlib.util\nhas_mpl = importlib.util.find_spec('matplotlib') is not None",
                        user_expressions={"has": "has_mpl"})
    if reply["content"]["user_expressions"]["has"]["data"]["text/plain"] != "True":
        pytest.skip("matplotlib is not importable by the local Python")
    reply, outputs = run_cell(kc, "%matplotlib qt")
    assert reply["content"]["status"] == "error"
    assert "'qt' cannot run in the local backend" in reply["content"]["evalue"]
    assert "%matplotlib inline" in reply["content"]["evalue"]
    (error,) = outputs
    assert "cannot run in the local backend" in "\n".join(error["content"]["traceback"])
    reply, outputs = run_cell(kc, "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\n"
                                  "plt.show()")
    assert reply["content"]["status"] == "ok"
    assert any("image/png" in m["content"].get("data", {}) for m in outputs if m["msg_type"] == "display_data")


def test_the_pager_shows_an_objects_docstring_and_source(shared):
    _, kc = shared
    run_cell(kc, "def documented():\n    '''Adds up the universe.'''\n    return 42")
    reply, _ = run_cell(kc, "documented?")
    (page,) = reply["content"]["payload"]
    assert page["source"] == "page"
    assert "Adds up the universe." in page["data"]["text/plain"]
    reply, _ = run_cell(kc, "documented??")
    assert "return 42" in ANSI_COLOUR.sub("", reply["content"]["payload"][0]["data"]["text/plain"])


def test_exit_asks_the_frontend_to_close_and_the_kernel_keeps_running(shared):
    _, kc = shared
    reply, outputs = run_cell(kc, "exit()")
    assert reply["content"]["status"] == "ok", reply["content"]
    assert reply["content"]["payload"] == [{"source": "ask_exit", "keepkernel": False}]
    assert printed_by(kc, "print('after exit')") == "after exit\n"


def test_attribute_completion_and_inspection_come_from_the_childs_namespace(shared):
    _, kc = shared
    run_cell(kc, "class Thing:\n    '''A thing with parts.'''\n    attribute_one = 1\n"
                 "    def method_two(self):\n        pass\nthing = Thing()")
    code = "x = 1\nthing.me"
    reply = shell_reply(kc, kc.complete(code, len(code)))["content"]
    start = reply["cursor_start"]
    assert reply["cursor_end"] == len(code)
    assert "x = 1\nthing.method_two" in {code[:start] + m for m in reply["matches"]}
    reply = shell_reply(kc, kc.inspect("thing", 2))["content"]
    assert reply["found"] is True
    assert "A thing with parts." in reply["data"]["text/plain"]


def test_the_child_dying_mid_cell_is_explained_and_the_next_cell_gets_a_fresh_python():
    km, kc = own_kernel()
    try:
        run_cell(kc, "before = 'set'", timeout=90)
        reply, outputs = run_cell(kc, "import os\nos._exit(3)")
        assert reply["content"]["status"] == "error"
        assert "local Python" in reply["content"]["evalue"] and "exited (code 3)" in reply["content"]["evalue"]
        assert [m["msg_type"] for m in outputs] == ["error"]
        reply, _ = run_cell(kc, "before")
        assert reply["content"]["ename"] == "NameError"
        run_cell(kc, "after = 'works'")
        _, outputs = run_cell(kc, "print(after)")
        assert stdout_of(outputs) == "works\n"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_configured_python_without_ipython_is_a_clear_error_and_the_kernel_stays_up(tmp_path):
    python = tmp_path / "bare-python"
    python.write_text("#!/bin/sh\nexec /usr/bin/python3 -I -S \"$@\"\n")  # no site-packages, so no IPython
    python.chmod(0o755)
    km, kc = own_kernel({"LIVY_KERNEL_PYTHON": str(python)})
    try:
        for _ in range(2):  # the next cell tries again and says the same
            reply, _ = run_cell(kc, "1 + 1", timeout=90)
            assert reply["content"]["status"] == "error"
            message = reply["content"]["evalue"]
            assert str(python) in message and "cannot import IPython" in message
            assert "pip install ipython" in message
        assert shell_reply(kc, kc.kernel_info())["content"]["status"] == "ok"
        _, outputs = run_cell(kc, "%%help")
        assert outputs and outputs[-1]["msg_type"] == "display_data"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.mark.parametrize("how", ["shutdown_request", "SIGKILL"])
def test_commands_a_cell_started_end_with_the_kernel(how):
    km, kc = own_kernel()
    try:
        run_cell(kc, "import subprocess\nserver = subprocess.Popen(['sleep', '300'])", timeout=90)
        reply, _ = run_cell(kc, "pass", user_expressions={"pid": "server.pid"})
        pid = int(reply["content"]["user_expressions"]["pid"]["data"]["text/plain"])
        assert alive(pid)
        if how == "SIGKILL":
            os.kill(kernel_pid(km), signal.SIGKILL)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=how == "SIGKILL")
    assert wait_until(lambda: not alive(pid), 10), "a process the cell started outlived the kernel"


def test_an_interrupt_stops_the_command_a_cell_waits_for(shared, tmp_path):
    """os.system() ignores SIGINT while it waits: the interrupt must reach the command itself, as a Ctrl-C in a
    terminal (or ipykernel's interrupt) does, rather than leave it running until the kernel gives up on the
    local Python and restarts it."""
    _, kc = shared
    pid_file = tmp_path / "pid"
    run_cell(kc, "import os\nkept = 'still here'")
    msg_id = kc.execute(f"status = os.system('echo $$ > {pid_file}; exec sleep 300')")
    assert wait_until(lambda: pid_file.exists() and pid_file.read_text().strip(), 30)
    pid = int(pid_file.read_text())
    shared[0].interrupt_kernel()
    shell_reply(kc, msg_id, timeout=60)
    assert not alive(pid)
    _, outputs = run_cell(kc, "print(kept)")
    assert stdout_of(outputs) == "still here\n"


def test_a_command_that_ignores_the_interrupt_is_not_left_running(tmp_path):
    """A command deaf to SIGINT keeps os.system() waiting, so the kernel ends up restarting the local
    Python; the command must not be orphaned."""
    km, kc = own_kernel()
    pid_file = tmp_path / "pid"
    try:
        run_cell(kc, "import os", timeout=90)
        msg_id = kc.execute(f"os.system(\"trap '' INT; echo $$ > {pid_file}; exec sleep 300\")")
        assert wait_until(lambda: pid_file.exists() and pid_file.read_text().strip(), 30)
        pid = int(pid_file.read_text())
        km.interrupt_kernel()
        assert shell_reply(kc, msg_id, timeout=60)["content"]["ename"] == "LocalPythonDied"
        assert wait_until(lambda: not alive(pid), 10), "the command was left running"
        _, outputs = run_cell(kc, "print('next cell')", timeout=90)
        assert stdout_of(outputs) == "next cell\n"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
