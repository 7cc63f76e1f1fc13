"""Checking a workspace: every layer against its contract, and references between layers.

Also a multi-step run that started and did not finish.
"""

from __future__ import annotations

from typing import Any

from ecogis import schema


def validate_workspace(frames: dict[str, Any], *, open_run: str | None) -> list[schema.Problem]:
    """Problems of the contract layers ``frames`` (name → frame as read).

    Parameters
    ----------
    frames : dict of str to Any
        Every contract layer of the workspace, read with contract dtypes (a reference
        to a layer not in it is not checked).
    open_run : str or None
        The mark of a run that started and did not finish (``None``: none).

    Returns
    -------
    list of Problem
        Each names the layer, the business key and the field: the open run first, then
        each layer's contract problems, then values naming no row of the layer they
        reference.
    """
    problems: list[schema.Problem] = []
    if open_run:
        problems.append(
            schema.Problem(
                "(workspace)",
                None,
                None,
                f"incomplete: the run {open_run} did not finish (stopped or killed), so "
                "some of its layers are missing or stale — run it again",
            )
        )
    for name, frame in frames.items():
        problems += schema.check_frame(frame, schema.contract(name))
    for name, frame in frames.items():
        for f in schema.contract(name).fields:
            if not f.references or f.name not in frame.columns:
                continue
            ref_layer, ref_field = f.references.split(".")
            if ref_layer not in frames:
                continue
            known = set(frames[ref_layer][ref_field].dropna())
            for v in sorted(set(frame[f.name].dropna()) - known):
                problems.append(
                    schema.Problem(name, str(v), f.name, f"names no row of {ref_layer}")
                )
    return problems
