"""The reload plan as the JSON document ``schemas/plan.schema.json`` describes, which
:func:`reloadlint.runtime.apply_plan` reads (``--plan --output-format json``)."""

from __future__ import annotations

from typing import Any

from reloadlint import __version__
from reloadlint.plan_model import Plan, PlanModule, Reason

SCHEMA_VERSION = 1


def document(plan: Plan) -> dict[str, Any]:
    """The plan as ``schemas/plan.schema.json`` describes it."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "reloadlint", "version": __version__},
        "base": {"rev": plan.rev, "commit": plan.commit},
        "verdict": plan.verdict,
        "groups": [
            {"cycle": g.cycle, "modules": [_module_doc(m) for m in g.modules]} for g in plan.groups
        ],
        "restart_reasons": [_reason_doc(r) for r in plan.restart_reasons],
        "not_done": [
            {"kind": n.kind, "message": n.message, "path": n.path, "line": n.line}
            for n in plan.not_done
        ],
        "old_values": [
            {
                "code": v.code,
                "message": v.message,
                "what_to_do": v.what_to_do,
                "path": v.path,
                "line": v.line,
                "column": v.column,
            }
            for v in plan.old_values
        ],
    }


def _module_doc(module: PlanModule) -> dict[str, Any]:
    return {
        "module": module.module,
        "path": module.path,
        "action": module.action,
        "why": module.why,
        "base_sha256": module.base_sha256,
        "new_sha256": module.new_sha256,
        "migrate": [
            {"class": m.cls, "old_vsn": m.old_vsn, "new_vsn": m.new_vsn} for m in module.migrate
        ],
        "reasons": [_reason_doc(r) for r in module.reasons],
    }


def _reason_doc(reason: Reason) -> dict[str, Any]:
    return {
        "code": reason.code,
        "message": reason.message,
        "path": reason.path,
        "line": reason.line,
        "column": reason.column,
    }
