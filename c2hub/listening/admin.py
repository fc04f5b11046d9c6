from __future__ import annotations

from django.contrib import admin

from c2hub.listening.models import Comment, ListeningEvent, Theme, Vote


@admin.register(ListeningEvent)
class ListeningEventAdmin(admin.ModelAdmin):
    list_display = ["event", "feedback_due", "capture_open", "theming_status"]
    list_filter = ["capture_open", "event__site"]
    raw_id_fields = ["event", "feedback_event", "theming_requested_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["text", "participant", "age_band", "language", "count", "source", "listening_event"]
    list_filter = ["participant", "source", "language"]
    search_fields = ["text"]
    raw_id_fields = ["listening_event", "theme", "created_by"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "listening_event", "suggested", "order"]
    raw_id_fields = ["listening_event"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["theme", "participant", "dots", "source", "listening_event"]
    list_filter = ["participant", "source"]
    raw_id_fields = ["listening_event", "theme", "created_by"]
