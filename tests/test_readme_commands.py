"""Every command line in the README's code blocks runs as written, in README order, in a
fresh copy of the repository (its tracked files, with this checkout's virtual
environment) on a new database: each exits 0, or fails with the message the README gives
for it on a comment line above it in its block ("... says: MESSAGE" or "... say:
MESSAGE"). None may say "No such command" or show a traceback."""

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
SAYS = re.compile(r"\bsays?: (.+)$")

# The two `make` commands are not run here: `make run` serves until it is stopped, so its
# steps before serving (the `$(FLASK)` lines of its recipe, FLASK being ./manage) run in
# its place; `make test` runs this test.
MAKEFILE_FLASK = re.compile(r"^\t\$\(FLASK\) (.+)$", re.MULTILINE)


def readme_commands() -> list[tuple[str, str | None]]:
    """Each command line of the README's sh code blocks, with the message documented for
    it (None: it must exit 0)."""
    commands: list[tuple[str, str | None]] = []
    for block in BLOCK.findall(README.read_text(encoding="utf-8")):
        expected = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#"):
                found = SAYS.search(line)
                expected = found.group(1).strip() if found else None
            elif line:
                commands.append((line, expected))
    return commands


def make_run_steps() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    return [f"./manage {step}" for step in MAKEFILE_FLASK.findall(recipe)]


def fresh_copy(folder: Path) -> Path:
    """The repository's tracked files as a new clone has them, with this checkout's
    virtual environment (what `make install` would build)."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, tracked.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (folder / ".venv").symlink_to(ROOT / ".venv")
    return folder


def test_the_readme_lists_only_manage_and_the_two_make_commands():
    lines = [line for line, _ in readme_commands()]
    assert [line.split("#")[0].strip() for line in lines if line.startswith("make ")] == [
        "make run",
        "make test",
    ]
    assert all(line.startswith(("make ", "./manage ")) for line in lines), lines
    assert make_run_steps() == ["./manage db upgrade", "./manage surveys load"]


def test_every_readme_command_runs_as_written_on_a_fresh_clone(tmp_path):
    clone = fresh_copy(tmp_path / "clone")
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FLASK_", "MAIL_", "SMTP_", "NOTIFY_", "SECRET_KEY"))
    }
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.db'}"
    ran = []
    for line, expected in readme_commands():
        if line.startswith("make test"):
            continue
        steps = make_run_steps() if line.startswith("make run") else [line]
        for step in steps:
            result = subprocess.run(
                ["bash", "-c", step],
                cwd=clone,
                env=environment,
                capture_output=True,
                text=True,
                timeout=300,
            )
            said = result.stdout + result.stderr
            assert "No such command" not in said, step
            assert "Traceback" not in said, (step, said)
            if expected is None:
                assert result.returncode == 0, (step, said)
            else:
                assert result.returncode == 0 or expected in said, (step, said)
            ran.append(step)
    assert "./manage users create you@example.org --role officer" in ran
    assert len(ran) >= 13
    assert (clone / "backup-of-today.db").stat().st_size > 0


def test_manage_without_a_virtual_environment_says_what_to_do(tmp_path):
    shutil.copy2(ROOT / "manage", tmp_path / "manage")
    result = subprocess.run([str(tmp_path / "manage"), "db", "upgrade"], capture_output=True)
    assert result.returncode == 1
    assert b"run `make install` there first" in result.stderr
