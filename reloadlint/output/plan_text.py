"""The reload plan as text for people, readable at a glance like ``terraform plan``:
a header naming the base, numbered steps with an action symbol, import cycles
grouped under one step, why a restart is needed, what a hot upgrade will not
do, and the verdict last, where the eye lands.

    Reload plan: HEAD (1a2b3c4d5e6f) -> working tree

      1. ~ app.db         reload          changed
      2. ^ app.models     reload+migrate  changed
           migrate Session: __vsn__ 1 -> 2
      3. ~ app.views      reload          binds changed names by value
           app/views.py:1 `app.views` imports `app.db.connect` by value: ...

    Verdict: HOT - 3 modules to reload (1 with migration) ...

Colour only when the caller says so (the CLI: a terminal, and no NO_COLOR).
Text from the code (module and class names, paths, messages, the revision:
a file name can hold a newline) is on one line with control characters
shown visibly (:func:`~reloadlint.output.sanitize.message`).
"""

from __future__ import annotations

from reloadlint.output.sanitize import message
from reloadlint.plan_model import Group, NotDone, Plan, PlanModule, Reason
from reloadlint.plan_values import OldValue

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RED = "\x1b[31m"
_GREEN = "\x1b[32m"
_YELLOW = "\x1b[33m"
_BOLD_RED = "\x1b[1;31m"
_BOLD_GREEN = "\x1b[1;32m"

SYMBOLS = {"reload": ("~", _GREEN), "reload+migrate": ("^", _YELLOW), "restart": ("!", _RED)}
WHY = {
    "changed": "changed",
    "added": "new module",
    "imports-changed-names-by-value": "binds changed names by value",
    "reads-changed-file": "reads a changed file at import time",
}
#: by-value reasons shown per module before "... and N more"
_MAX_BY_VALUE = 3


class _Painter:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if self.color else text


def render(plan: Plan, *, color: bool = False) -> str:
    paint = _Painter(color)
    lines = [
        paint(f"Reload plan: {message(plan.rev)} ({plan.commit[:12]}) -> working tree", _BOLD),
        "",
    ]
    lines += _steps(plan, paint)
    lines += _section(
        "Restart needed because", [_reason_line(r) for r in plan.restart_reasons], paint, _RED
    )
    lines += _section(
        "Values made by the old version, which a reload and a restart alike leave as they are",
        [_old_value_line(v) for v in plan.old_values],
        paint,
        _YELLOW,
    )
    lines += [_verdict(plan, paint), ""]
    # The plan ends with what a hot upgrade will not do, even when that is
    # nothing, so that nothing is left out silently.
    not_done = [_not_dmessage(n) for n in plan.not_done]
    lines += _section("Not done by a hot upgrade", not_done, paint, _YELLOW) or [
        "Not done by a hot upgrade: nothing - every change above is applied by the reload."
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _steps(plan: Plan, paint: _Painter) -> list[str]:
    if not plan.groups and not plan.removed:
        return [f"  No Python module changed since {message(plan.rev)}: nothing to reload.", ""]
    shown = [message(m.module) for m in plan.modules] + [message(name) for name in plan.removed]
    width = max([len(name) for name in shown] + [10])
    lines = [paint("  ~ reload   ^ reload+migrate   ! restart   - removed", _DIM), ""]
    for number, group in enumerate(plan.groups, start=1):
        lines += _group(number, group, width, paint)
    for name in plan.removed:
        lines.append(
            f"     {paint('-', _RED)} {message(name):<{width}}  {'removed':<14}  cannot be unloaded"
        )
    return [*lines, ""]


def _group(number: int, group: Group, width: int, paint: _Painter) -> list[str]:
    label = f"{number:>3}."
    if not group.cycle:
        return _module_lines(label, group.modules[0], width, paint)
    names = ", ".join(message(m.module) for m in group.modules)
    lines = [
        f"{label} import cycle of {len(group.modules)} modules, reloaded in binding order: {names}"
    ]
    for module in group.modules:
        lines += _module_lines("    ", module, width, paint)
    return lines


def _module_lines(label: str, module: PlanModule, width: int, paint: _Painter) -> list[str]:
    symbol, style = SYMBOLS[module.action]
    action = paint(f"{module.action:<14}", style)
    lines = [
        f"{label} {paint(symbol, style)} {message(module.module):<{width}}  {action}  "
        f"{WHY.get(module.why, module.why)}"
    ]
    indent = " " * (len(label) + 3)
    for migration in module.migrate:
        lines.append(
            f"{indent}migrate {message(migration.cls)}: "
            f"__vsn__ {migration.old_vsn!r} -> {migration.new_vsn!r}"
        )
    by_value = [r for r in module.reasons if r.code == "by-value"]
    lines += [f"{indent}{_reason_line(r)}" for r in module.reasons if r.code != "by-value"]
    lines += [f"{indent}{_reason_line(r)}" for r in by_value[:_MAX_BY_VALUE]]
    if len(by_value) > _MAX_BY_VALUE:
        lines.append(f"{indent}... and {len(by_value) - _MAX_BY_VALUE} more by-value references")
    return lines


def _where(path: str | None, line: int | None) -> str:
    """``path:line: `` (or ``path: ``) before a message, nothing without a path."""
    if path is None:
        return ""
    return f"{message(path)}:{line}: " if line is not None else f"{message(path)}: "


def _reason_line(reason: Reason) -> str:
    code = "" if reason.code == "by-value" else f"{reason.code} "
    return f"{code}{_where(reason.path, reason.line)}{message(reason.message)}"


def _not_dmessage(item: NotDone) -> str:
    return f"{item.kind}: {_where(item.path, item.line)}{message(item.message)}"


def _old_value_line(value: OldValue) -> str:
    return (
        f"{value.code} {_where(value.path, value.line)}{message(value.message)}\n"
        f"      what must happen: {message(value.what_to_do)}"
    )


def _section(title: str, items: list[str], paint: _Painter, style: str) -> list[str]:
    if not items:
        return []
    return [paint(f"{title} ({len(items)}):", style), *(f"  - {item}" for item in items), ""]


def _verdict(plan: Plan, paint: _Painter) -> str:
    modules = plan.modules
    migrating = sum(1 for m in modules if m.action == "reload+migrate")
    if plan.verdict == "hot":
        counts = f"{len(modules)} module{'s' if len(modules) != 1 else ''} to reload"
        counts += f" ({migrating} with migration)" if migrating else ""
        verdict = paint("Verdict: HOT", _BOLD_GREEN)
        return f"{verdict} - {counts}; apply with reloadlint.runtime.apply_plan()."
    reasons = len(plan.restart_reasons)
    return (
        f"{paint('Verdict: RESTART', _BOLD_RED)} - {reasons} reason{'s' if reasons != 1 else ''} "
        f"make{'s' if reasons == 1 else ''} a hot "
        "upgrade unsafe; restart the process to deploy this change."
    )
