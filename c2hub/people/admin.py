from __future__ import annotations

from django.contrib import admin

from c2hub.people.models import Consent, Group, GroupMembership, Organisation, Person


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "programme"]
    list_filter = ["kind", "programme"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["sites"]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "age_band"]
    list_filter = ["kind", "age_band", "programme"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["sites"]
    inlines = [ConsentInline]


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "site", "formed_on"]
    list_filter = ["kind", "site"]
    search_fields = ["name"]
    inlines = [MembershipInline]
