"""The local backend's Python side: runs cells in an IPython shell for the livy-kernel JVM.

The JVM writes requests to our stdin and reads our messages from our stdout, one JSON object per line:
requests are {"id", "type", "content"}, messages {"parent", "type", "content"}, and every request ends
with one "<kind>_reply" after all the output it caused. Pipes instead of a child ipykernel: a cell's round
trip no longer crosses ZeroMQ twice more, signing and threads included, which made the local backend
1.5-2x slower than ipykernel. Our stdin closing means the JVM is gone, so we exit at once: this process
never outlives the kernel, even one killed with SIGKILL.

Once started, file descriptors 1 and 2 are pipes read here, so what a subprocess or C code writes shows in
the cell as it does under ipykernel; stdin is /dev/null, and input() asks the frontend through the JVM.
"""
import base64
import builtins
import codecs
import fcntl
import getpass
import importlib.util
import json
import os
import platform
import queue
import select
import signal
import sys
import threading
import time
import traceback

# Taken before the standard descriptors are redirected below.
REQUESTS = os.fdopen(os.dup(0), "rb")
MESSAGES_FD = os.dup(1)
LOG = os.fdopen(os.dup(2), "w", buffering=1)  # our own trouble goes to the kernel's log, never to a cell

# Output gathers this long before it is sent, so a loop of prints becomes a few messages, not thousands.
FLUSH_INTERVAL_S = 0.05
STDIN_UNAVAILABLE = "raw_input was called, but this frontend does not support input requests."

_send_lock = threading.Lock()


def _jsonable(value):
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    return repr(value)


def send(parent, kind, content):
    line = (json.dumps({"parent": parent, "type": kind, "content": content}, default=_jsonable) + "\n").encode()
    view = memoryview(line)
    # An interrupt between two writes of a long line would leave half a message in the pipe and garble the
    # next one: in the main thread, where KeyboardInterrupt is raised, it waits until the line is out.
    masked = threading.current_thread() is threading.main_thread()
    if masked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        with _send_lock:
            while view:
                view = view[os.write(MESSAGES_FD, view):]
    except OSError:
        os._exit(0)  # the kernel is gone
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class Current:
    """The request being served: output is sent as part of it, input() may ask only if it allows."""
    parent = None
    allow_stdin = False
    running = threading.Event()  # set while user code runs, the only time an interrupt is delivered
    forked = False  # True in a process forked from this one by the user's code


def _after_fork_in_child():
    # Only the forking thread lives on in the child: a lock another thread held at the fork stays held.
    global _send_lock
    _send_lock = threading.Lock()
    for stream in FLUSHER.streams:
        stream._lock = threading.Lock()
    Current.forked = True


class OutStream:
    """sys.stdout / sys.stderr: text is buffered and sent by the flusher, or at once on flush().
    Text reaches the cell in the order it was written, across both streams and descriptors 1 and 2."""
    encoding = "utf-8"
    errors = "replace"

    def __init__(self, name, fd, flusher):
        self.name = name
        self._fd = fd
        self._flusher = flusher
        self._buffer = []
        self._lock = threading.Lock()

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text:
            if not Current.forked:  # a forked child must not take its parent's captured output
                self._flusher.read_captured()  # what a subprocess or C code wrote before this comes first
            self.append(text)
        return len(text)

    def append(self, text):
        if Current.forked:
            with self._lock:
                self._buffer.append(text)
            if "\n" in text:
                self.flush()  # no flusher thread in a forked child (multiprocessing): send line by line
            return
        self._flusher.flush_others(self)
        with self._lock:
            was_empty = not self._buffer
            self._buffer.append(text)
        if was_empty:
            self._flusher.wake()

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        with self._lock:  # held while sending, so two flushes never reorder text
            if self._buffer:
                text = "".join(self._buffer)
                self._buffer.clear()
                send(Current.parent, "stream", {"name": self.name, "text": text})

    def pending(self):
        return bool(self._buffer)

    def fileno(self):
        return self._fd

    def isatty(self):
        return False

    def readable(self):
        return False

    def writable(self):
        return True

    def seekable(self):
        return False

    @property
    def closed(self):
        return False

    def close(self):
        pass


class Flusher(threading.Thread):
    """Reads what is written to descriptors 1 and 2 into the streams and sends buffered text in batches.
    It sleeps in select() while there is nothing to send, so an idle kernel costs no CPU."""

    def __init__(self):
        super().__init__(name="output-flusher", daemon=True)
        self._wake_read, self._wake_write = os.pipe()
        for fd in (self._wake_read, self._wake_write):
            os.set_blocking(fd, False)
        self._captured = {}  # pipe read end -> (stream, decoder)
        self._capture_lock = threading.Lock()
        self._captured_poll = select.poll()
        self.streams = []

    def capture(self, fd, name):
        """Makes descriptor fd a pipe whose text goes to a new stream named name."""
        read_end, write_end = os.pipe()
        os.set_blocking(read_end, False)
        fcntl.fcntl(read_end, fcntl.F_SETFD, fcntl.FD_CLOEXEC)
        os.dup2(write_end, fd)
        os.close(write_end)
        self._captured_poll.register(read_end, select.POLLIN)
        stream = OutStream(name, fd, self)
        self._captured[read_end] = (stream, codecs.getincrementaldecoder("utf-8")("replace"))
        self.streams.append(stream)
        return stream

    def wake(self):
        try:
            os.write(self._wake_write, b"x")
        except BlockingIOError:
            pass  # the pipe is full of wakes already

    def read_captured(self, ready=None):
        """Moves what descriptors 1 and 2 hold into their streams; ready: those known to hold something.
        The lock also makes a writer wait for text this thread has read but not yet appended."""
        with self._capture_lock:
            if ready is None:
                polled = self._captured_poll.poll(0)  # under the lock: a poll object is not thread-safe
                if not polled:
                    return
                ready = [fd for fd, _ in polled]
            for fd in ready:
                if fd not in self._captured:
                    continue
                stream, decoder = self._captured[fd]
                while True:
                    try:
                        chunk = os.read(fd, 65536)
                    except BlockingIOError:
                        break
                    if not chunk:
                        break
                    text = decoder.decode(chunk)
                    if text:  # empty while a character's bytes are still arriving
                        stream.append(text)

    def flush_others(self, stream):
        """Sends the other stream's pending text before stream takes more, so stdout and stderr interleave as
        they were written (as in a terminal) rather than as two blocks."""
        for other in self.streams:
            if other is not stream and other.pending():
                other.flush()

    def flush_all(self):
        """Everything written so far, sent now: before a display, an input prompt or a reply."""
        self.read_captured()
        for stream in self.streams:
            stream.flush()

    def run(self):
        deaf_to_interrupts()
        watched = [self._wake_read, *self._captured]
        send_at = None
        while True:
            timeout = None if send_at is None else max(0.0, send_at - time.monotonic())
            ready, _, _ = select.select(watched, [], [], timeout)
            if self._wake_read in ready:
                try:
                    while os.read(self._wake_read, 4096):
                        pass
                except BlockingIOError:
                    pass
            self.read_captured(ready)
            if send_at is None and any(s.pending() for s in self.streams):
                send_at = time.monotonic() + FLUSH_INTERVAL_S
            elif send_at is not None and time.monotonic() >= send_at:
                send_at = None
                for stream in self.streams:
                    stream.flush()


def make_shell(flusher):
    from IPython.core import page, payloadpage
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.error import UsageError
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type

    class CellResultHook(DisplayHook):
        """Sends a cell's value as execute_result instead of printing Out[n]."""

        def start_displayhook(self):
            self._message = {"execution_count": self.prompt_count, "data": {}, "metadata": {}}

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            self._message["data"] = format_dict
            self._message["metadata"] = md_dict or {}

        def finish_displayhook(self):
            flusher.flush_all()
            send(Current.parent, "execute_result", self._message)

    class Publisher(DisplayPublisher):
        """display(), its updates and clear_output as messages, after the text printed before them."""

        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            flusher.flush_all()
            send(Current.parent, "update_display_data" if update else "display_data",
                 {"data": data, "metadata": metadata or {}, "transient": transient or {}})

        def clear_output(self, wait=False):
            flusher.flush_all()
            send(Current.parent, "clear_output", {"wait": wait})

    class AgentShell(InteractiveShell):
        displayhook_class = Type(CellResultHook)
        display_pub_class = Type(Publisher)

        def init_hooks(self):
            super().init_hooks()
            self.set_hook("show_in_pager", page.as_hook(payloadpage.page), 99)  # `obj?` opens the pager

        def _showtraceback(self, etype, evalue, stb):
            # the kernel shows the error from the reply, as ipykernel's reply carries it
            self.last_error = {"ename": getattr(etype, "__name__", str(etype)), "evalue": str(evalue),
                               "traceback": stb}

        def enable_gui(self, gui=None):
            # %matplotlib inline asks for no event loop; a window toolkit has no screen to open on here
            if gui not in (None, "inline"):
                raise UsageError(f"The GUI toolkit {gui!r} cannot run in the local backend; use %matplotlib inline.")

        def enable_matplotlib(self, gui=None):
            # refused before matplotlib switches to the toolkit's backend, which would fail less clearly
            from IPython.core.pylabtools import find_gui_and_backend
            self.enable_gui(find_gui_and_backend(gui, self.pylab_gui_select)[0])
            return super().enable_matplotlib(gui)

        def show_usage_error(self, exc):
            self.last_error = {"ename": "UsageError", "evalue": str(exc), "traceback": [f"UsageError: {exc}"]}

        def ask_exit(self):
            # exit() / quit(): the frontend is asked to close, as ipykernel does; stopping the kernel is its call
            self.payload_manager.write_payload({"source": "ask_exit", "keepkernel": False})

        def set_next_input(self, text, replace=False):
            self.payload_manager.write_payload({"source": "set_next_input", "text": text, "replace": replace},
                                               single=False)

    # history in memory: the kernel keeps its own, and a shared sqlite file costs a write per cell
    from traitlets.config import Config
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    return AgentShell.instance(config=config)


def ask_frontend(prompt, password):
    __tracebackhide__ = True  # the user's traceback ends at their input() call, not in here
    if not Current.allow_stdin:
        from IPython.core.error import StdinNotImplementedError
        raise StdinNotImplementedError(STDIN_UNAVAILABLE)
    FLUSHER.flush_all()
    while not INPUTS.empty():  # a reply left over from an interrupted input()
        INPUTS.get_nowait()
    send(Current.parent, "input_request", {"prompt": str(prompt), "password": password})
    return INPUTS.get()


def own_process_group():
    """Makes this process the leader of its own group, which the commands a cell runs join, so that an
    interrupt reaches them as a terminal's Ctrl-C does (os.system() ignores SIGINT while it waits)."""
    try:
        os.setpgid(0, 0)
    except OSError:
        return False  # a session leader cannot: interrupts then reach this process alone
    return True


def deaf_to_interrupts():
    """For our own threads: a SIGINT sent to the group goes to the main thread, which runs the cell."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def interrupt_cell(main):
    if OWN_GROUP:
        os.killpg(os.getpid(), signal.SIGINT)
    else:
        signal.pthread_kill(main, signal.SIGINT)


def read_requests():
    """Our stdin: requests for the main thread; interrupts and input replies are handled here at once."""
    deaf_to_interrupts()
    main = threading.main_thread().ident
    for line in REQUESTS:
        try:
            request = json.loads(line)
        except ValueError:
            print("local agent: ignoring an unreadable request line", file=LOG)
            continue
        kind = request.get("type")
        if kind == "interrupt":
            if Current.running.is_set():
                interrupt_cell(main)
        elif kind == "input_reply":
            INPUTS.put(request.get("content", {}).get("value", ""))
        else:
            REQUESTS_QUEUE.put(request)
    # Our stdin closed: the kernel is shutting down, or was killed. What the cells started goes with us
    # (the signal ends this process too), as it would have in the kernel's own process group.
    if OWN_GROUP:
        os.killpg(os.getpid(), signal.SIGTERM)
    os._exit(0)


def execute(content):
    shell.last_error = None
    Current.allow_stdin = bool(content.get("allow_stdin", False))
    silent = bool(content.get("silent", False))
    result = None
    Current.running.set()
    try:
        result = shell.run_cell(content.get("code", ""), store_history=bool(content.get("store_history", not silent)),
                                silent=silent)
        succeeded = result.success
    except KeyboardInterrupt:  # arrived outside the user's code, which IPython guards itself
        shell.last_error = {"ename": "KeyboardInterrupt", "evalue": "", "traceback": []}
        succeeded = False
    finally:
        Current.running.clear()
    if succeeded:
        reply = {"status": "ok", "payload": shell.payload_manager.read_payload()}
    else:
        reply = {"status": "error", **(shell.last_error or unshown_error(result))}
    shell.payload_manager.clear_payload()
    expressions = content.get("user_expressions") or {}
    if expressions:
        reply["user_expressions"] = shell.user_expressions(expressions)
    return reply


def unshown_error(result):
    """The error of a cell IPython did not show through _showtraceback (e.g. an interrupt during it)."""
    error = result and (result.error_before_exec or result.error_in_exec)
    if error is None:
        return {"ename": "Error", "evalue": "", "traceback": []}
    return {"ename": type(error).__name__, "evalue": str(error), "traceback": [f"{type(error).__name__}: {error}"]}


def complete(content):
    # IPython's newer API, as ipykernel uses: the older shell.complete() drops jedi's matches, such as
    # the attributes of an object (`thing.<tab>`)
    from IPython.core.completer import provisionalcompleter, rectify_completions
    code = content.get("code", "")
    cursor = content.get("cursor_pos", len(code))
    with provisionalcompleter():
        completions = list(rectify_completions(code, shell.Completer.completions(code, cursor)))
    start, end = (completions[0].start, completions[0].end) if completions else (cursor, cursor)
    return {"status": "ok", "matches": [c.text for c in completions], "cursor_start": start, "cursor_end": end,
            "metadata": {}}


def inspect(content):
    from IPython.utils.tokenutil import token_at_cursor
    code = content.get("code", "")
    name = token_at_cursor(code, content.get("cursor_pos", len(code)))
    try:
        data = shell.object_inspect_mime(name, detail_level=content.get("detail_level", 0))
    except KeyError:
        return {"status": "ok", "found": False, "data": {}, "metadata": {}}
    if not shell.enable_html_pager:
        data.pop("text/html", None)
    return {"status": "ok", "found": True, "data": data, "metadata": {}}


def is_complete(content):
    status, indent = shell.input_transformer_manager.check_complete(content.get("code", ""))
    return {"status": status, "indent": " " * indent} if status == "incomplete" else {"status": status}


HANDLERS = {"execute_request": execute, "complete_request": complete, "inspect_request": inspect,
            "is_complete_request": is_complete}


def serve():
    while True:
        try:
            request = REQUESTS_QUEUE.get()
            Current.parent = request.get("id")
            kind = request.get("type", "")
            try:
                reply = HANDLERS[kind](request.get("content") or {})
            except Exception as e:
                traceback.print_exc(file=LOG)
                reply = {"status": "error", "ename": type(e).__name__, "evalue": str(e),
                         "traceback": traceback.format_exc().splitlines()}
            FLUSHER.flush_all()
            send(request.get("id"), kind.replace("_request", "") + "_reply", reply)
        except KeyboardInterrupt:
            pass  # an interrupt that came just as a cell ended


if __name__ == "__main__":
    # The kernel may have been started with SIGINT ignored; an interrupt must stop the cell.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    OWN_GROUP = own_process_group()
    if "MPLBACKEND" not in os.environ and importlib.util.find_spec("matplotlib_inline") is not None:
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"  # as ipykernel does
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    REQUESTS_QUEUE = queue.Queue()
    INPUTS = queue.Queue()
    FLUSHER = Flusher()
    sys.stdout = FLUSHER.capture(1, "stdout")
    sys.stderr = FLUSHER.capture(2, "stderr")
    sys.__stdout__, sys.__stderr__ = sys.stdout, sys.stderr

    def input(prompt=""):  # noqa: A001 (it replaces the builtin)
        __tracebackhide__ = True
        return ask_frontend(prompt, False)

    def getpass_prompt(prompt="Password: ", stream=None):
        __tracebackhide__ = True
        return ask_frontend(prompt, True)

    builtins.input = input
    getpass.getpass = getpass_prompt
    FLUSHER.start()
    os.register_at_fork(after_in_child=_after_fork_in_child)
    shell = make_shell(FLUSHER)
    import IPython
    send(None, "ready", {"python": platform.python_version(), "ipython": IPython.__version__,
                         "pyspark": importlib.util.find_spec("pyspark") is not None})
    threading.Thread(target=read_requests, name="requests", daemon=True).start()
    serve()
