"""The ``reloadlint`` command.

Exit codes: 0 no findings, 1 findings (or a ``restart`` plan), 2 usage,
configuration or internal error — always with a one-line message naming the
problem (a traceback only with ``--verbose``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import click

from reloadlint import __version__, cli_info, cli_stdin, collector, noqa, output, progress
from reloadlint.config import OUTPUT_FORMATS, ConfigError, Settings, find_config, load
from reloadlint.confine import ProjectRoots, write_file
from reloadlint.console import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    CommandError,
    TerminalProgress,
    say,
    use_color,
)
from reloadlint.engine import RunResult, UsageError, lint
from reloadlint.output import sanitize
from reloadlint.output.base import display_path
from reloadlint.profiles import RELOADERS
from reloadlint.request import LintRequest, StdinBuffer
from reloadlint.rules.registry import rules_by_code
from reloadlint.safeio import describe, read_limited
from reloadlint.selection import SelectionError, enabled_codes, expand, profile_warnings
from reloadlint.source import MAX_FILE_BYTES


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    """``--select RL1,RL2 --select RL5`` -> ("RL1", "RL2", "RL5")."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Rules to enable (codes, prefixes such as RL1, names); replaces the configured set.",
)
@click.option(
    "--extend-select",
    multiple=True,
    metavar="CODES",
    help="Rules to enable on top of the selection.",
)
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules to disable.")
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Paths to skip (replaces the default excludes).",
)
@click.option(
    "--extend-exclude",
    multiple=True,
    metavar="GLOB",
    help="Paths to skip on top of the default excludes.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply excludes to files named on the command line too (for pre-commit).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Configuration file (pyproject.toml or reloadlint.toml).",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path, dir_okay=False),
    help=(
        "Lint the buffer read from stdin as this file, against the project on disk "
        "(for editors); `-` as the path reads stdin too."
    ),
)
@click.option(
    "--reloader",
    type=click.Choice(RELOADERS),
    help=(
        "The reloader the project uses: which rules apply and what messages say "
        "[default: the configuration's, else importlib]."
    ),
)
@click.option(
    "--output-format",
    type=click.Choice(OUTPUT_FORMATS),
    help="How to print findings [default: full].",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the findings to this file.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print the number of findings per rule instead of the findings.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary line.")
@click.option("--show-files", is_flag=True, help="List the files that would be checked, then exit.")
@click.option(
    "--show-settings",
    is_flag=True,
    help=(
        "Show what the run would use (configuration file, project root, source roots, "
        "reloadable modules, reloader, rules), then exit."
    ),
)
@click.option(
    "--explain",
    metavar="CODE",
    help="Show the documentation of a rule (by code or name), then exit.",
)
@click.option(
    "--list-rules",
    is_flag=True,
    help="List every rule with its name, default and fixability, then exit.",
)
@click.option(
    "--base",
    metavar="REV",
    help="Upgrade mode: judge the change from git revision REV to the working tree.",
)
@click.option(
    "--plan", is_flag=True, help="With --base: print the reload plan and a hot/restart verdict."
)
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour.")
@click.option("--diff", is_flag=True, help="Print the fixes as a diff instead of applying them.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [default: number of cores]."
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Cache directory [default: RELOADLINT_CACHE_DIR, else .reloadlint_cache].",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help=(
        "Hide the findings recorded in this baseline file; report new ones, and warn about "
        "entries that no longer occur (they do not change the exit status)."
    ),
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Record the current findings in this baseline file, then exit 0.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Name the configuration file; show tracebacks of internal errors.",
)
@click.version_option(__version__, "--version", prog_name="reloadlint")
def command(paths: tuple[Path, ...], **options: object) -> None:
    """Find what breaks when this code is hot-reloaded into a running process.

    \b
    reloadlint src/                   lint a tree
    reloadlint --base HEAD~1 src/     lint the upgrade from a git revision
    reloadlint --plan --base v1.2     the reload plan, with a hot/restart verdict
    reloadlint --explain RL101        what a rule means and how to fix it

    Exit status: 0 no findings, 1 findings, 2 error.
    """
    verbose = bool(options["verbose"])
    try:
        code = _run(paths, options)
    except (CommandError, ConfigError, UsageError, SelectionError) as error:
        say(f"reloadlint: error: {error}")
        code = EXIT_ERROR
    except BrokenPipeError:
        # `reloadlint ... | head`: the reader has what it wanted and closed the pipe.
        # Quietly, with exit 0, as ruff does: not an error of the run.
        _discard_output()
        code = EXIT_CLEAN
    except KeyboardInterrupt:
        say("reloadlint: interrupted")
        code = 130
    except Exception as error:  # the last line of defence: never a bare traceback
        if verbose:
            import traceback  # only here: importing it costs every run ~2 ms

            traceback.print_exc()
        say(
            f"reloadlint: internal error: {type(error).__name__}: {error} "
            "(run with --verbose for details)"
        )
        code = EXIT_ERROR
    sys.exit(code)


def _discard_output() -> None:
    """Point stdout and stderr at the null device: whatever is still buffered for
    the closed pipe would fail again when the interpreter flushes it at exit
    (the recipe of Python's documentation for SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
            continue
    os.close(devnull)


def _run(paths: tuple[Path, ...], options: dict[str, object]) -> int:
    if options["list_rules"]:
        return cli_info.list_rules(str(options["output_format"] or "full"))
    if options["explain"]:
        return cli_info.explain(str(options["explain"]))
    stdin = cli_stdin.buffer(paths, options)
    if stdin is not None:
        paths = (stdin.path,) if stdin.path is not None else ()
    settings = _settings(paths, options)
    if options["verbose"]:
        source = settings.source or "none (defaults)"
        say(f"reloadlint: configuration file: {source}")
    if options["base"] is not None and not str(options["base"]).strip():
        # `--base "$DEPLOYED_REV"` with the variable unset must not quietly lint in tree mode.
        raise CommandError("--base needs a git revision, not an empty string")
    if options["plan"] and not options["base"]:
        raise CommandError("--plan needs --base REV (the revision the running process loaded)")
    fixing = [f"--{o.replace('_', '-')}" for o in ("fix", "unsafe_fixes", "diff") if options[o]]
    if options["base"] and fixing:
        # Refused, not ignored: fixing would edit the working tree, i.e. the very upgrade
        # being judged, and a user who asked for fixes must not read "nothing fixed" as "clean".
        verb = "works" if len(fixing) == 1 else "work"
        raise CommandError(f"{' and '.join(fixing)} {verb} in tree mode only; run without --base")
    fmt = str(options["output_format"] or settings.output_format)
    if options["plan"]:
        # A plan is applied by reloadlint's runtime: it is judged under that profile,
        # with every rule it reads (a rule off under `runtime` is one the plan handles).
        if options["reloader"] not in (None, "runtime"):
            raise CommandError(
                f"--plan plans for reloadlint's runtime, not {options['reloader']}: "
                "drop --reloader or give --reloader runtime"
            )
        settings = settings.with_overrides(reloader="runtime")
    else:
        selectors = settings.select + settings.extend_select
        for warning in profile_warnings(selectors, settings.reloader):
            say(f"reloadlint: warning: {warning}")
    request = LintRequest(
        paths=list(paths) or [Path(".")],
        settings=settings,
        codes=enabled_codes(
            settings.select,
            settings.extend_select,
            settings.ignore,
            upgrade=bool(options["base"]),
            reloader=None if options["plan"] else settings.reloader,
        ),
        force_exclude=bool(options["force_exclude"]),
        jobs=options["jobs"],  # type: ignore[arg-type]
        use_cache=not options["no_cache"],
        whole_project=bool(options["plan"]),
        stdin=stdin,
    )
    options["stdin"] = stdin
    if options["show_settings"]:
        return cli_info.show_settings(request, verbose=bool(options["verbose"]))
    if options["show_files"]:
        from reloadlint.steps import collect_files

        entries, _ = collect_files(request)
        for entry in entries:
            if entry.target:  # a file name is the repository's text: never raw on a terminal
                click.echo(sanitize.message(entry.display))
        return EXIT_CLEAN
    if options["base"]:
        if options["baseline"] or options["write_baseline"]:
            raise CommandError("--baseline and --write-baseline work on a tree, not with --base")
        return _upgrade(request, str(options["base"]), options, fmt)
    with collector.paused(freeze=True), _progress():  # the process ends soon after
        result = lint(request)
    shown_cache = result.cache.directory if result.cache is not None else None
    if options["verbose"] and result.checked is not None and shown_cache is not None:
        cache_dir = display_path(str(shown_cache), Path.cwd())
        say(
            f"reloadlint: checked {len(result.checked)} of {len(result.files)} files; "
            f"the others' findings were reused from {cache_dir}"
        )
    if options["diff"]:
        from reloadlint.fixes import apply

        _, shown = apply.apply_fixes(
            request, result, unsafe=bool(options["unsafe_fixes"]), diff_only=True
        )
        return EXIT_FINDINGS if shown else EXIT_CLEAN
    if options["fix"] or options["unsafe_fixes"]:
        result = _apply_fixes(request, result, options)
    if options["baseline"] or options["write_baseline"]:
        return _baseline(result, fmt, options)
    return _report(result, fmt, options)


def _progress() -> AbstractContextManager[None]:
    """A progress bar on stderr for a run that takes over a second, when stderr is a
    terminal; nothing otherwise (see :class:`reloadlint.console.TerminalProgress`)."""
    return progress.reporting(TerminalProgress.for_stderr())


def _baseline(result: RunResult, fmt: str, options: dict[str, object]) -> int:
    """``--write-baseline``: record the findings, exit 0. ``--baseline``: report only
    new findings (exit 1 if any); entries that no longer occur are warnings."""
    from reloadlint import baseline

    diagnostics = baseline.fill_context(result.diagnostics, result.summaries)
    path = Path(str(options["write_baseline"] or options["baseline"]))
    try:
        if options["write_baseline"]:
            findings, entries = baseline.write(path, diagnostics, result.roots)
            say(
                f"reloadlint: wrote {findings} finding(s) as {entries} baseline "
                f"entr{'y' if entries == 1 else 'ies'} to {path}"
            )
            return EXIT_CLEAN
        applied = baseline.apply(baseline.load(path), diagnostics, path, result.files)
    except baseline.BaselineError as error:
        raise CommandError(str(error)) from None
    for key, recorded, current in applied.stale:
        say(
            f"reloadlint: warning: baseline {path}: {key.describe()} is recorded "
            f"{recorded} time(s) but found {current}; trim it with --write-baseline {path}"
        )
    if applied.hidden and fmt in ("full", "concise") and not options["quiet"]:
        say(f"reloadlint: {applied.hidden} finding(s) hidden by the baseline {path}")
    return _report(dataclasses.replace(result, diagnostics=applied.shown), fmt, options)


def _settings(paths: tuple[Path, ...], options: dict[str, object]) -> Settings:
    if options["isolated"]:
        settings = Settings()
    else:
        path = options["config_path"]
        if path is None:
            start = Path.cwd()
            path = find_config(start)
            if path is None and paths:
                first = paths[0]
                path = find_config(first if first.is_dir() else first.parent)
        elif not Path(str(path)).is_file():
            raise CommandError(f"configuration file {path} not found")
        settings = load(Path(str(path)) if path else None)
        _check_selectors(settings)
    overrides: dict[str, object] = {}
    if options["select"]:
        overrides["select"] = _codes(options["select"])  # type: ignore[arg-type]
    if options["extend_select"]:
        overrides["extend_select"] = settings.extend_select + _codes(options["extend_select"])  # type: ignore[arg-type]
    if options["ignore"]:
        overrides["ignore"] = settings.ignore + _codes(options["ignore"])  # type: ignore[arg-type]
    if options["exclude"]:
        overrides["exclude"] = tuple(options["exclude"])  # type: ignore[arg-type]
    if options["extend_exclude"]:
        overrides["extend_exclude"] = settings.extend_exclude + tuple(options["extend_exclude"])  # type: ignore[arg-type]
    if options["reloader"]:
        overrides["reloader"] = options["reloader"]
    cache_dir = options["cache_dir"] or os.environ.get("RELOADLINT_CACHE_DIR")
    if cache_dir:
        # The user's choice, unlike the configuration's (which must stay in the project):
        # relative to where reloadlint runs.
        overrides["cache_dir"] = os.path.abspath(str(cache_dir))
    return settings.with_overrides(**overrides)


def _check_selectors(settings: Settings) -> None:
    """An unknown rule in the configuration: the message names the file and the key too."""
    if settings.source is None:
        return
    prefix = "tool.reloadlint." if settings.source.name == "pyproject.toml" else ""
    keys = {
        "select": settings.select,
        "extend-select": settings.extend_select,
        "ignore": settings.ignore,
    }
    keys.update(
        {f"per-file-ignores.{glob!r}": codes for glob, codes in settings.per_file_ignores.items()}
    )
    for key, selectors in keys.items():
        for selector in selectors:
            try:
                expand(selector)
            except SelectionError as error:
                raise CommandError(f"{settings.source}: `{prefix}{key}`: {error}") from None


def _output_context(color: bool, stdin: StdinBuffer | None = None) -> output.OutputContext:
    # The full format shows a line per finding, and findings come in runs per file:
    # the last file read is kept (reading a file per finding was most of a warm run's
    # time on a tree with thousands of findings). A run on stdin shows the buffer's lines.
    @functools.lru_cache(maxsize=1)
    def lines_of(path: str) -> list[str] | None:
        if stdin is not None:
            return stdin.data.decode("utf-8", "replace").split("\n")
        try:
            data = read_limited(path, MAX_FILE_BYTES)  # a linted file: no larger
            return data.decode("utf-8", "replace").split("\n")  # only the newlines Python counts
        except OSError:
            return None

    def source_line(path: str, row: int) -> str | None:
        lines = lines_of(path)
        return lines[row - 1] if lines is not None and 0 < row <= len(lines) else None

    return output.OutputContext(
        root=Path.cwd(),
        color=color,
        rules=rules_by_code(),
        source_line=source_line,
        tool_version=__version__,
    )


def _color(options: dict[str, object]) -> bool:
    return use_color(to_file=bool(options["output_file"]))


def _report(result: RunResult, fmt: str, options: dict[str, object]) -> int:
    diagnostics = result.diagnostics
    stdin: StdinBuffer | None = options.get("stdin")  # type: ignore[assignment]
    known = frozenset(rules_by_code())
    noqa_files = result.files
    if result.noqa_paths is not None:
        mention = set(result.noqa_paths)
        noqa_files = [path for path in noqa_files if path in mention]
    directives = noqa.directive_warnings(noqa_files, known, stdin.data if stdin else None)
    for warning in [*result.warnings, *directives]:
        say(f"reloadlint: warning: {warning}")
    # Fix edits are computed from the file on disk: not the buffer a stdin run linted.
    # The text formats' ``[*]`` mark and fixable counts are the fixer's answer too: a
    # finding the rule deems fixable but the codemod refuses (a use at import time, a
    # name another module imports) is not marked (cached with the fixes).
    marks = fmt in ("full", "concise") or bool(options["statistics"])
    fixes = (fmt in ("json", "json-lines", "sarif") or marks) and stdin is None
    if fixes and any(d.fixable for d in diagnostics):
        from reloadlint.fixes.attach import attach_fixes

        jobs = options["jobs"]
        with collector.paused(freeze=True):  # acyclic data; the process ends soon after
            diagnostics = attach_fixes(
                diagnostics,
                result.summaries,
                jobs=jobs,  # type: ignore[arg-type]
                cache_dir=result.cache,
                roots=result.roots,
                run_key=result.run_key,
            )
    if options["statistics"]:
        text = (
            output.statistics_json(diagnostics) if fmt == "json" else output.statistics(diagnostics)
        )
    else:
        context = _output_context(_color(options), stdin)
        text = output.render(fmt, diagnostics, context)
    if fmt in ("full", "concise") and not options["quiet"] and not options["statistics"]:
        # After the findings, where they go (stdout or -o's file), as ruff prints it.
        files = len({d.path for d in diagnostics})
        fixable = sum(1 for d in diagnostics if d.fixable)
        summary = output.summary_line(
            diagnostics,
            files_with_findings=files,
            fixable=fixable,
            scope=result.scope() if result.scope is not None else "",
        )
        text = output.with_summary(text, summary, blank_line=fmt == "full")
    _emit(text, options, result.roots)
    if diagnostics and not options["exit_zero"]:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _emit(text: str, options: dict[str, object], roots: ProjectRoots | None = None) -> None:
    """Print, or with ``-o`` write the file (see :func:`reloadlint.confine.write_file`);
    ``roots``: the run's project (default: the working directory's)."""
    if options["output_file"]:
        target = Path(str(options["output_file"]))
        try:
            write_file(target, text.encode("utf-8"), roots or ProjectRoots.of(Path.cwd()))
        except OSError as error:
            raise CommandError(f"cannot write {target}: {describe(error)}") from None
    elif text:
        click.echo(text, nl=not text.endswith("\n"))


def _upgrade(request: LintRequest, rev: str, options: dict[str, object], fmt: str) -> int:
    """``--base REV`` (findings) and ``--plan`` (the reload plan) in upgrade mode."""
    try:
        from reloadlint import gitbase
    except ImportError:
        raise CommandError("upgrade mode (--base) is not available in this build") from None
    request.base = gitbase.GitRevision.for_paths(rev, request.paths)
    try:
        with collector.paused(freeze=True), _progress():  # the process ends soon after
            result = lint(request)
    except gitbase.GitError as error:
        raise CommandError(str(error)) from None
    if options.get("plan"):
        return _plan(result, options, fmt)
    return _report(result, fmt, options)


#: The formats ``--plan`` prints as text; ``json`` prints the plan document.
PLAN_TEXT_FORMATS = ("full", "concise")


def _plan(result: RunResult, options: dict[str, object], fmt: str) -> int:
    """Print the plan; exit 0 for ``hot``, 1 for ``restart`` (2 for errors, raised).

    ``--output-format json`` prints the document; ``full``/``concise`` (or a format set
    only in the configuration) print the text plan; another format given on the
    command line is an error. ``--exit-zero`` makes a ``restart`` plan exit 0 too,
    so CI can keep the plan as an artifact without failing the job.
    """
    from reloadlint import plan, plan_facts
    from reloadlint.output import plan_json, plan_text

    for warning in result.warnings:
        say(f"reloadlint: warning: {warning}")
    unreadable, left_out = plan_facts.unloadable(result)
    for d in left_out:
        say(
            f"reloadlint: warning: {d.path}:{d.location.row}: {d.code} {d.message}: "
            "not part of the change, left out of the plan"
        )
    if unreadable:
        first = unreadable[0]
        more = f" (and {len(unreadable) - 1} more)" if len(unreadable) > 1 else ""
        raise CommandError(
            "cannot plan an upgrade of code that does not load: "
            f"{first.path}:{first.location.row}: {first.message}{more}"
        )
    if fmt != "json" and fmt not in PLAN_TEXT_FORMATS and options.get("output_format"):
        formats = ", ".join(PLAN_TEXT_FORMATS)
        raise CommandError(f"--plan prints text ({formats}) or json, not {fmt}")
    built = plan.build(result)
    if fmt == "json":
        document = json.dumps(plan_json.document(built), indent=2, ensure_ascii=False)
        text = sanitize.escape_json(document) + "\n"
    else:
        text = plan_text.render(built, color=_color(options))
    _emit(text, options, result.roots)
    if built.verdict == "hot" or options.get("exit_zero"):
        return EXIT_CLEAN
    return EXIT_FINDINGS


def _apply_fixes(request: LintRequest, result: RunResult, options: dict[str, object]) -> RunResult:
    from reloadlint.fixes import apply

    fixed, count = apply.apply_fixes(
        request, result, unsafe=bool(options["unsafe_fixes"]), diff_only=False
    )
    if count and not options["quiet"]:
        say(f"Fixed {count} file{'s' if count != 1 else ''}.")
    return fixed


def main(argv: Sequence[str] | None = None) -> None:
    args = list(argv) if argv is not None else sys.argv[1:]
    if args[:1] == ["run"]:
        # `reloadlint run ...`: the development loop (docs/devloop.md). Only as the first
        # argument: `reloadlint ./run` or `reloadlint -- run` lint a path named run.
        from reloadlint.devloop.command import main as run_main

        run_main(args[1:])
        return
    command.main(args=args, prog_name="reloadlint")


if __name__ == "__main__":  # pragma: no cover
    main()
