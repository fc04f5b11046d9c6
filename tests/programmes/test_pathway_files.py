"""Pathway model files: what a broken file is told, and how versions protect older sites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from c2hub.programmes.models import PathwayModel, StepCriterion
from c2hub.programmes.pathway_files import (
    PathwayFileError,
    compare_with_database,
    parse_pathway_text,
    read_pathway_files,
    sync_pathway_models,
)
from tests.factories import make_site

REPO_PATHWAYS = Path(settings.BASE_DIR) / "pathways"
V1 = "c2-seven-steps-v1.yaml"
V2 = "c2-seven-steps-v2.yaml"


@pytest.fixture
def pathways_dir(settings, tmp_path):
    directory = tmp_path / "pathways"
    shutil.copytree(REPO_PATHWAYS, directory)
    settings.PATHWAYS_DIR = directory
    return directory


def v1_text() -> str:
    return (REPO_PATHWAYS / V1).read_text(encoding="utf-8")


def test_the_repositorys_pathway_files_are_valid():
    specs = read_pathway_files(REPO_PATHWAYS)
    assert [(s.key, s.version, len(s.steps)) for s in specs] == [
        ("c2-seven-steps", "1.0", 7), ("c2-seven-steps", "2.0", 7),
    ]
    v1, v2 = specs
    assert v1.parameters["listening_feedback_deadline_days"] == 10
    assert v2.parameters["listening_feedback_deadline_days"] == 7
    assert [s.kind for s in v1.steps].count("evidence_state") == 2


def test_invalid_yaml_is_reported_with_its_line_number():
    text = v1_text().replace("    target_month: 6\n", "    target_month: [6\n", 1)
    line = text.splitlines().index("    target_month: [6") + 1
    with pytest.raises(PathwayFileError) as error:
        parse_pathway_text(text, V1)
    message = str(error.value)
    assert message.startswith(f"{V1} line ")
    reported = int(message.split(" line ")[1].split(":")[0])
    assert line <= reported <= line + 2
    assert "not valid YAML" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("key: c2-seven-steps\n", "", "'key' is missing"),
        ('version: "1.0"\n', "", "'version' is missing"),
        ("title: C2 seven-step model (2013 wording)\n", "", "'title' is missing"),
        ("    title: Workshops to consolidate connections; plan the listening event\n", "",
         "step #2: 'title' is missing"),
        ("      - key: workshops-held\n        text:", "      - text:",
         "step #2, criterion #1: 'key' is missing"),
    ],
)
def test_missing_fields_are_named_with_where_they_are_missing(old, new, expected):
    text = v1_text()
    assert old in text
    with pytest.raises(PathwayFileError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        parse_pathway_text(text.replace(old, new, 1), V1)


def test_a_criterion_key_used_twice_in_a_step_is_refused():
    text = v1_text().replace("- key: skills-and-mindset", "- key: workshops-held", 1)
    with pytest.raises(PathwayFileError, match="step #2, criterion #2: key 'workshops-held' is "
                                               "used twice in this step"):
        parse_pathway_text(text, V1)


def test_steps_out_of_order_are_refused():
    text = v1_text().replace("  - number: 2\n", "  - number: 3\n", 1)
    with pytest.raises(PathwayFileError, match=r"step #2: steps must be numbered 1, 2, 3… in order "
                                               r"\(found 3\)"):
        parse_pathway_text(text, V1)


def test_an_unknown_step_kind_is_refused():
    text = v1_text().replace("kind: evidence_state", "kind: outcome", 1)
    with pytest.raises(PathwayFileError, match="step #6: kind must be one of action, evidence_state"):
        parse_pathway_text(text, V1)


def test_an_unquoted_dotted_version_is_refused_rather_than_misread():
    # YAML reads 1.10 as the number 1.1: the version must be quoted.
    text = v1_text().replace('version: "1.0"', "version: 1.10", 1)
    with pytest.raises(PathwayFileError, match="'version' should be quoted"):
        parse_pathway_text(text, V1)


def test_the_same_version_in_two_files_is_refused(pathways_dir):
    (pathways_dir / "copy-of-v1.yaml").write_text(v1_text())
    with pytest.raises(PathwayFileError, match="version 1.0 is also defined in"):
        read_pathway_files(pathways_dir)


@pytest.mark.django_db
def test_sync_is_idempotent(pathways_dir):
    first = sync_pathway_models(pathways_dir)
    again = sync_pathway_models(pathways_dir)
    assert first.created == ["c2-seven-steps 1.0", "c2-seven-steps 2.0"]
    assert again.created == again.updated == []
    assert again.unchanged == first.created
    assert compare_with_database(read_pathway_files(pathways_dir)) == []


@pytest.mark.django_db
def test_a_version_in_use_whose_file_changed_is_refused_a_new_version_loads_and_the_old_site_keeps_its_criteria(  # noqa: E501
    pathways_dir,
):
    sync_pathway_models(pathways_dir)
    site = make_site(version="1.0")
    criteria_before = list(
        StepCriterion.objects.filter(step__model=site.pathway_model).values_list("key", "text")
    )
    v1 = pathways_dir / V1
    changed = v1_text().replace("within 10 days", "within 14 days").replace(
        "listening_feedback_deadline_days: 10", "listening_feedback_deadline_days: 14"
    )
    v1.write_text(changed)

    with pytest.raises(PathwayFileError, match="followed by 1 site.*new version number"):
        sync_pathway_models(pathways_dir)
    [difference] = compare_with_database(read_pathway_files(pathways_dir))
    assert difference.is_error and difference.label == "c2-seven-steps 1.0"

    # The change goes into a new version instead; the old file is restored.
    v1.write_text(v1_text())
    (pathways_dir / "c2-seven-steps-v1.1.yaml").write_text(
        changed.replace('version: "1.0"', 'version: "1.1"')
    )
    report = sync_pathway_models(pathways_dir)
    assert report.created == ["c2-seven-steps 1.1"]
    new = PathwayModel.objects.get(key="c2-seven-steps", version="1.1")
    assert new.parameter("listening_feedback_deadline_days") == 14

    site.refresh_from_db()
    assert site.pathway_model.version == "1.0"
    assert site.pathway_model.parameter("listening_feedback_deadline_days") == 10
    assert list(
        StepCriterion.objects.filter(step__model=site.pathway_model).values_list("key", "text")
    ) == criteria_before


@pytest.mark.django_db
def test_a_changed_version_no_site_follows_is_reloaded(pathways_dir):
    sync_pathway_models(pathways_dir)
    v2 = pathways_dir / V2
    v2.write_text(v2.read_text().replace("a week later", "seven days later"))
    [difference] = compare_with_database(read_pathway_files(pathways_dir))
    assert not difference.is_error
    assert sync_pathway_models(pathways_dir).updated == ["c2-seven-steps 2.0"]
    step = PathwayModel.objects.get(version="2.0").steps.get(number=3)
    assert "seven days later" in step.description


@pytest.mark.django_db
def test_a_version_in_use_whose_file_was_deleted_is_an_error(pathways_dir):
    sync_pathway_models(pathways_dir)
    make_site(version="2.0")
    (pathways_dir / V2).unlink()
    [difference] = compare_with_database(read_pathway_files(pathways_dir))
    assert difference.is_error and "no file in the pathways directory" in difference.message
