from __future__ import annotations

from django.contrib import admin

from c2hub.programmes.models import (
    Evidence,
    FundingLine,
    PathwayEvent,
    PathwayModel,
    PathwayStep,
    Programme,
    Site,
    StepCriterion,
    StepProgress,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Pathway models come from pathways/*.yaml and the timeline from the services: never edited here."""

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "local_authority", "status", "start_date", "pathway_model"]
    list_filter = ["programme", "status", "pathway_model"]
    search_fields = ["name", "slug", "local_authority"]
    readonly_fields = ["pathway_model", "created_at", "last_activity_at"]
    autocomplete_fields = ["lead_agency", "commissioner"]
    filter_horizontal = ["facilitators"]
    inlines = [FundingLineInline]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # sites start through the "Start a new site" page, which sets up their steps


class StepInline(admin.TabularInline):
    model = PathwayStep
    fields = ["number", "title", "kind", "target_month"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(PathwayModel)
class PathwayModelAdmin(ReadOnlyAdmin):
    list_display = ["key", "version", "title", "file_name", "loaded_at"]
    inlines = [StepInline]


@admin.register(StepCriterion)
class StepCriterionAdmin(ReadOnlyAdmin):
    list_display = ["text", "step", "key"]
    list_filter = ["step__model"]


@admin.register(StepProgress)
class StepProgressAdmin(ReadOnlyAdmin):
    list_display = ["site", "step", "status", "due_on", "completed_at", "overridden"]
    list_filter = ["status", "overridden"]
    search_fields = ["site__name"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["summary", "site", "criterion", "kind", "added_by", "added_at", "verified_at"]
    list_filter = ["kind", "site"]
    search_fields = ["summary", "site__name"]


@admin.register(PathwayEvent)
class PathwayEventAdmin(ReadOnlyAdmin):
    list_display = ["site", "kind", "step", "actor", "occurred_at"]
    list_filter = ["kind", "site"]
