"""Notes about a person belong to a site: a person in two sites has two sets of notes.

Existing notes move to the first site the person took part in (the one that wrote them, as the
only site that could have, until people could join a second site)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def move_notes_to_sites(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonSiteNotes = apps.get_model("people", "PersonSiteNotes")
    through = Person.sites.through
    for person in Person.objects.exclude(notes="").iterator():
        first = through.objects.filter(person_id=person.pk).order_by("id").values_list("site_id", flat=True).first()
        if first is not None:
            PersonSiteNotes.objects.create(person_id=person.pk, site_id=first, notes=person.notes)


def move_notes_back(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonSiteNotes = apps.get_model("people", "PersonSiteNotes")
    for note in PersonSiteNotes.objects.order_by("id").iterator():
        Person.objects.filter(pk=note.person_id, notes="").update(notes=note.notes)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_initial"),
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonSiteNotes",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("notes", models.TextField(blank=True)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="site_notes", to="people.person"
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="person_notes", to="programmes.site"
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "person site notes",
                "constraints": [models.UniqueConstraint(fields=("person", "site"), name="unique_person_site_notes")],
            },
        ),
        migrations.RunPython(move_notes_to_sites, move_notes_back),
        migrations.RemoveField(model_name="person", name="notes"),
    ]
