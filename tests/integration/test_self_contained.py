"""The suite reads nothing outside the repository (issue 11): `bin/test` must pass on a fresh clone placed where no
`shared/` folder exists in any parent directory."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

# Paths that would reach outside the repository: the team's shared folder beside the checkout, or this machine's.
OUTSIDE = re.compile(r"\.\./shared\b|\bshared/livy-(?:samples|recordings)\b|/work/shared\b|/work/main\b")
THIS_FILE = Path(__file__).resolve()   # it names the patterns it looks for
CODE = (".py", ".java", ".sh", ".xml", ".json", ".ini", ".cfg", ".toml", ".properties")


def repository_files():
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    if listed.returncode == 0:
        return [ROOT / name for name in listed.stdout.decode().split("\0") if name]
    return [p for p in ROOT.rglob("*") if p.is_file() and ".git" not in p.parts and "target" not in p.parts]


def test_no_test_build_or_script_names_a_path_outside_the_repository():
    offenders = []
    for path in repository_files():
        relative = path.relative_to(ROOT)
        if relative.parts[:2] in (("tests", "livy-samples"), ("tests", "livy-recordings")):
            continue   # the recorded data themselves
        if path == THIS_FILE or not (path.suffix in CODE or relative.parts[0] == "bin"):
            continue
        try:
            text = path.read_text(errors="replace")
        except OSError:
            continue
        offenders += [f"{relative}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
                      if OUTSIDE.search(line)]
    assert not offenders, "paths outside the repository:\n" + "\n".join(offenders)


def test_the_doubles_sample_comparisons_run_from_a_copy_with_nothing_beside_it(tmp_path):
    # Only the double and the recorded data, in a folder with no shared/ anywhere above it and a HOME of its own:
    # the tests that compare the double with real Livy answers must find everything inside the copy.
    clone = tmp_path / "clone"
    for folder in ("livy_double", "livy-samples", "livy-recordings"):
        shutil.copytree(ROOT / "tests" / folder, clone / "tests" / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    assert not any((parent / "shared").exists() for parent in clone.parents)
    env = {k: v for k, v in os.environ.items() if k not in ("LIVY_SAMPLES_DIR", "PYTHONPATH")}
    env["HOME"] = str(tmp_path / "home")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout", "120",
                             "test_livy_double.py", "-k", "version_and_empty or fault_kill_session"],
                            cwd=clone / "tests" / "livy_double", env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
