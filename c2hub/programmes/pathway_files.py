"""Reading pathway model files (``pathways/*.yaml``) and loading them into the database.

A loaded version is immutable once a site follows it: changing the wording of a version in use
is refused with a message asking for a new version number, so that older sites keep exactly the
criteria they were measured against. See docs/pathway.md.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import models, transaction

from c2hub.programmes.models import PathwayModel, PathwayStep, StepCriterion, StepKind


class PathwayFileError(ValueError):
    """A pathway file that cannot be loaded; the message names the file and the problem."""


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    text: str
    guidance: str = ""


@dataclass(frozen=True)
class StepSpec:
    number: int
    title: str
    description: str
    kind: str
    target_month: int | None
    criteria: tuple[CriterionSpec, ...]


@dataclass(frozen=True)
class PathwayModelSpec:
    key: str
    version: str
    title: str
    source: str
    parameters: dict[str, Any]
    steps: tuple[StepSpec, ...]
    file_name: str
    content_sha256: str = field(compare=False)


def _require(mapping: dict[str, Any], name: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if name not in mapping or mapping[name] in (None, ""):
        raise PathwayFileError(f"{where}: '{name}' is missing")
    value = mapping[name]
    if not isinstance(value, kind):
        raise PathwayFileError(f"{where}: '{name}' should be {getattr(kind, '__name__', kind)}")
    return value


def parse_pathway_text(text: str, file_name: str) -> PathwayModelSpec:
    """Parse and validate one pathway model file's text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise PathwayFileError(f"{file_name}{line}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise PathwayFileError(
            f"{file_name}: the file should be a mapping with key, version and steps"
        )
    key = str(_require(data, "key", file_name, str))
    # A float would lose digits (1.10 reads as 1.1), so a dotted version must be quoted.
    if isinstance(data.get("version"), float):
        raise PathwayFileError(f"{file_name}: 'version' should be quoted, e.g. version: \"1.0\"")
    version = str(_require(data, "version", file_name, (str, int)))
    title = str(_require(data, "title", file_name, str))
    parameters = data.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise PathwayFileError(f"{file_name}: 'parameters' should be a mapping")
    raw_steps = _require(data, "steps", file_name, list)
    steps: list[StepSpec] = []
    for index, raw in enumerate(raw_steps, start=1):
        where = f"{file_name}: step #{index}"
        if not isinstance(raw, dict):
            raise PathwayFileError(f"{where}: should be a mapping")
        number = _require(raw, "number", where, int)
        if number != index:
            raise PathwayFileError(
                f"{where}: steps must be numbered 1, 2, 3… in order (found {number})"
            )
        kind = raw.get("kind", StepKind.ACTION)
        if kind not in StepKind.values:
            raise PathwayFileError(f"{where}: kind must be one of {', '.join(StepKind.values)}")
        target = raw.get("target_month")
        if target is not None and (not isinstance(target, int) or target < 0):
            raise PathwayFileError(f"{where}: target_month should be a whole number of months")
        raw_criteria = _require(raw, "criteria", where, list)
        criteria: list[CriterionSpec] = []
        seen: set[str] = set()
        for c_index, rc in enumerate(raw_criteria, start=1):
            c_where = f"{where}, criterion #{c_index}"
            if not isinstance(rc, dict):
                raise PathwayFileError(f"{c_where}: should be a mapping with key and text")
            c_key = str(_require(rc, "key", c_where, str))
            if c_key in seen:
                raise PathwayFileError(f"{c_where}: key '{c_key}' is used twice in this step")
            seen.add(c_key)
            criteria.append(
                CriterionSpec(
                    key=c_key,
                    text=str(_require(rc, "text", c_where, str)).strip(),
                    guidance=str(rc.get("guidance") or "").strip(),
                )
            )
        steps.append(
            StepSpec(
                number=number,
                title=str(_require(raw, "title", where, str)).strip(),
                description=str(_require(raw, "description", where, str)).strip(),
                kind=kind,
                target_month=target,
                criteria=tuple(criteria),
            )
        )
    canonical = json.dumps(
        {"key": key, "version": version, "title": title, "parameters": parameters,
         "steps": [s.__dict__ | {"criteria": [c.__dict__ for c in s.criteria]} for s in steps]},
        sort_keys=True,
    )
    return PathwayModelSpec(
        key=key,
        version=version,
        title=title,
        source=str(data.get("source") or "").strip(),
        parameters=parameters,
        steps=tuple(steps),
        file_name=file_name,
        content_sha256=hashlib.sha256(canonical.encode()).hexdigest(),
    )


def read_pathway_files(directory: Path | None = None) -> list[PathwayModelSpec]:
    """Every model file in the pathways directory, validated; duplicate versions are an error."""
    directory = directory or Path(settings.PATHWAYS_DIR)
    specs: list[PathwayModelSpec] = []
    seen: dict[tuple[str, str], str] = {}
    for path in sorted(directory.glob("*.yaml")):
        spec = parse_pathway_text(path.read_text(encoding="utf-8"), path.name)
        ident = (spec.key, spec.version)
        if ident in seen:
            raise PathwayFileError(
                f"{path.name}: {spec.key} version {spec.version} is also defined in {seen[ident]}"
            )
        seen[ident] = path.name
        specs.append(spec)
    return specs


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def sync_pathway_models(directory: Path | None = None) -> SyncReport:
    """Load every pathway file into the database, atomically. A version already followed by a
    site must not change: that raises PathwayFileError and loads nothing."""
    specs = read_pathway_files(directory)
    report = SyncReport()
    with transaction.atomic():
        for spec in specs:
            label = f"{spec.key} {spec.version}"
            existing = PathwayModel.objects.filter(key=spec.key, version=spec.version).first()
            if existing and existing.content_sha256 == spec.content_sha256:
                report.unchanged.append(label)
                continue
            if existing:
                in_use = existing.sites.count()
                if in_use:
                    raise PathwayFileError(
                        f"{spec.file_name}: {label} is followed by {in_use} site(s) and its "
                        "content has changed. Give the changed model a new version number so "
                        "that those sites keep the criteria they were measured against."
                    )
                existing.delete()
                report.updated.append(label)
            else:
                report.created.append(label)
            _create_model(spec)
    return report


def _create_model(spec: PathwayModelSpec) -> PathwayModel:
    model = PathwayModel.objects.create(
        key=spec.key,
        version=spec.version,
        title=spec.title,
        source=spec.source,
        parameters=spec.parameters,
        file_name=spec.file_name,
        content_sha256=spec.content_sha256,
    )
    for step_spec in spec.steps:
        step = PathwayStep.objects.create(
            model=model,
            number=step_spec.number,
            title=step_spec.title,
            description=step_spec.description,
            kind=step_spec.kind,
            target_month=step_spec.target_month,
        )
        StepCriterion.objects.bulk_create(
            StepCriterion(step=step, key=c.key, text=c.text, guidance=c.guidance, order=i)
            for i, c in enumerate(step_spec.criteria)
        )
    return model


@dataclass(frozen=True)
class SyncDifference:
    """How the database differs from one pathway model file. An error stops C2 Hub from being
    reproducible or would change what a site is measured against; the rest `pathways sync` fixes."""

    label: str
    message: str
    is_error: bool


def compare_with_database(specs: list[PathwayModelSpec]) -> list[SyncDifference]:
    """Compare validated model files with the versions loaded in the database."""
    differences: list[SyncDifference] = []
    loaded = {
        (m.key, m.version): m
        for m in PathwayModel.objects.annotate(site_count=models.Count("sites"))
    }
    in_files = {(s.key, s.version) for s in specs}
    for spec in specs:
        label = f"{spec.key} {spec.version}"
        existing = loaded.get((spec.key, spec.version))
        if existing is None:
            differences.append(SyncDifference(
                label, f"{spec.file_name}: not loaded yet; run `c2hub pathways sync`.", False
            ))
        elif existing.content_sha256 != spec.content_sha256:
            if existing.site_count:
                differences.append(SyncDifference(
                    label,
                    f"{spec.file_name}: {label} is followed by {existing.site_count} site(s) and "
                    "the file has changed since it was loaded. Restore the file and put the "
                    "changes in a new version (a new file with a new version number).",
                    True,
                ))
            else:
                differences.append(SyncDifference(
                    label, f"{spec.file_name}: changed and followed by no site yet; run "
                    "`c2hub pathways sync` to load the new wording.", False,
                ))
    for (key, version), model in loaded.items():
        if (key, version) not in in_files and model.site_count:
            differences.append(SyncDifference(
                f"{key} {version}",
                f"{key} {version} is followed by {model.site_count} site(s) but no file in the "
                f"pathways directory defines it (it was loaded from {model.file_name}). "
                "Restore the file: a new installation could not recreate those sites' criteria.",
                True,
            ))
    return differences
