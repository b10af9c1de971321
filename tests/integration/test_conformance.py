"""The official Jupyter kernel conformance suite (jupyter_kernel_test), every attribute set.

The kernel runs on its embedded local backend here, so Python samples run in the child
Python's IPython shell while the protocol, the message ordering and the magics are the Java kernel's own.
"""
import unittest

import jupyter_kernel_test

from conftest import KERNEL_NAME


class LivyKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL_NAME
    language_name = "python"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_stderr = "import sys; print('an error line', file=sys.stderr)"

    completion_samples = [
        {"text": "%hel", "matches": {"%help"}},
        {"text": "%%loc", "matches": {"%%local"}},
        {"text": "import collec", "matches": {"collections"}},
    ]
    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n  return x*2\n\n\n", "%%help"]
    incomplete_code_samples = ["print('''hello", "def f(x):\n  x*2", "x = [1,\n 2,", "%%local"]
    invalid_code_samples = ["print(1))", "x = ]"]

    code_page_something = "print?"
    code_generate_error = "raise ValueError('expected failure')"
    code_execute_result = [
        {"code": "1+2+3", "result": "6"},
        {"code": "'a' * 3", "result": "'aaa'"},
        {"code": "[n * n for n in range(4)]", "result": "[0, 1, 4, 9]"},
    ]
    code_display_data = [
        {"code": "from IPython.display import HTML, display; display(HTML('<b>bold</b>'))", "mime": "text/html"},
        {"code": "%%help", "mime": "text/html"},
    ]
    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "%%help"
    code_clear_output = "from IPython.display import clear_output; clear_output()"


if __name__ == "__main__":
    unittest.main()
