"""Loading the demo programme through the services, idempotently.

Every row has a natural key (programme and site slugs, organisation and group names, an evidence
item's site, criterion and summary, a user's e-mail…). A row that is already there is left alone,
so running the demo twice writes nothing the second time, and a demo someone has been clicking
through keeps their changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from c2hub.accounts import services as account_services
from c2hub.accounts.models import Role, User
from c2hub.accounts.rules import forget_cached_roles
from c2hub.demo import content
from c2hub.demo.actions import demo_actions_ensure
from c2hub.demo.areas import demo_areas_ensure
from c2hub.demo.casestudies import demo_case_studies_ensure
from c2hub.demo.community import demo_community_ensure
from c2hub.demo.content import DemoUserSpec, EvidenceSpec, SiteSpec
from c2hub.demo.events import demo_events_ensure
from c2hub.demo.geography import area_for_wards
from c2hub.demo.listening import demo_listening_ensure
from c2hub.demo.newsletters import demo_newsletters_ensure
from c2hub.demo.outcomes import demo_outcomes_ensure
from c2hub.demo.two_factor import DemoTwoFactor, demo_two_factor_ensure
from c2hub.demo.value import demo_value_ensure
from c2hub.demo.wins import demo_wins_ensure
from c2hub.people import services as people_services
from c2hub.people.models import Group, GroupMembership, Organisation, Person
from c2hub.programmes import services
from c2hub.programmes.models import (
    Evidence,
    EvidenceKind,
    FundingLine,
    PathwayModel,
    Programme,
    Site,
    StepProgress,
    StepStatus,
)
from c2hub.programmes.pathway_files import SyncReport, sync_pathway_models

PATHWAY_KEY = "c2-seven-steps"


@dataclass
class DemoLogin:
    email: str
    full_name: str
    role_label: str
    sites: list[str]
    two_factor: DemoTwoFactor | None


@dataclass
class DemoReport:
    pathways: SyncReport
    programme: Programme
    sites: list[Site]
    logins: list[DemoLogin] = field(default_factory=list)
    #: How many rows this run created (0 on a second run).
    created: int = 0


class _Loader:
    def __init__(self) -> None:
        self.created = 0
        self.programme: Programme
        self.admin: User
        self.sites: dict[str, Site] = {}
        self.organisations: dict[str, Organisation] = {}

    # Programme, organisations, users ------------------------------------------------------------
    def programme_ensure(self) -> Programme:
        # There is no service for creating a programme (programmes are set up once, by whoever
        # runs the server): the demo creates its own directly, keyed by slug.
        programme, created = Programme.objects.get_or_create(
            slug=content.PROGRAMME_SLUG,
            defaults={"name": content.PROGRAMME_NAME, "description": content.PROGRAMME_DESCRIPTION},
        )
        self.created += created
        self.programme = programme
        return programme

    def user_ensure(self, spec: DemoUserSpec) -> User:
        user = User.objects.filter(email__iexact=spec.email).first()
        if user is None:
            user = account_services.user_create(
                actor=None, email=spec.email, full_name=spec.full_name,
                password=content.DEMO_PASSWORD,
            )
            self.created += 1
        return user

    def role_ensure(self, user: User, spec: DemoUserSpec) -> None:
        sites = [self.sites[slug] for slug in spec.sites] or [None]
        for site in sites:
            account_services.role_grant(
                actor=None, user=user, role=spec.role, programme=self.programme, site=site
            )
        forget_cached_roles(user)

    def organisation_ensure(self, name: str, site: Site) -> Organisation:
        """The programme's organisation of this name, taking part in this site."""
        organisation = self.organisations.get(name) or Organisation.objects.filter(
            programme=self.programme, name=name
        ).first()
        if organisation is None:
            spec = next(o for o in content.ORGANISATIONS if o.name == name)
            organisation = people_services.organisation_create(
                actor=self.admin, site=site, name=spec.name, short_name=spec.short_name,
                kind=spec.kind, notes=spec.notes,
            )
            self.created += 1
        elif not organisation.sites.filter(pk=site.pk).exists():
            people_services.organisation_add_to_site(
                actor=self.admin, site=site, organisation=organisation
            )
            self.created += 1
        self.organisations[name] = organisation
        return organisation

    # Sites --------------------------------------------------------------------------------------
    def site_ensure(self, spec: SiteSpec) -> Site:
        site = Site.objects.filter(slug=spec.slug).first()
        if site is None:
            area = area_for_wards(spec.ward_codes)
            site = services.site_create(
                actor=self.admin,
                programme=self.programme,
                name=spec.name,
                slug=spec.slug,
                pathway_model=PathwayModel.objects.get(
                    key=PATHWAY_KEY, version=spec.pathway_version
                ),
                start_date=spec.start_date,
                planned_length_months=24,
                local_authority=area.local_authority,
                local_authority_code=area.local_authority_code,
                wards=list(area.wards),
                lsoa_codes=list(area.lsoa_codes),
                description=spec.description,
                status=spec.status,
            )
            self.created += 1
        self.sites[spec.slug] = site
        return site

    def site_fill(self, spec: SiteSpec, actor: User) -> None:
        """Everything in a site: organisations, people, groups, funding, evidence, steps."""
        site = self.sites[spec.slug]
        for name in spec.organisations:
            self.organisation_ensure(name, site)
        agencies = {
            field_name: self.organisations[name]
            for field_name, name in (
                ("lead_agency", spec.lead_agency), ("commissioner", spec.commissioner)
            )
            if name
        }
        changed = {k: v for k, v in agencies.items() if getattr(site, f"{k}_id") != v.pk}
        if changed:
            services.site_update(actor=actor, site=site, **changed)
            self.created += 1

        people = {p.name: self.person_ensure(site, p, actor) for p in spec.people}
        groups = {g.name: self.group_ensure(site, g, people, actor) for g in spec.groups}
        for funding in spec.funding:
            self.funding_ensure(site, funding, actor)

        for evidence in spec.evidence:
            self.evidence_ensure(site, evidence, actor, groups)
        for step_number in spec.complete_steps:
            step = site.pathway_model.steps.get(number=step_number)
            sourced = {e.criterion for e in spec.evidence if e.step == step_number}
            for criterion in step.criteria.all():
                if criterion.key not in sourced:
                    self.evidence_ensure(
                        site,
                        EvidenceSpec(
                            step_number, criterion.key, content.UNSOURCED_SUMMARY,
                            spec.unsourced_note,
                        ),
                        actor,
                        groups,
                    )
            progress = StepProgress.objects.get(site=site, step=step)
            if progress.status != StepStatus.COMPLETE:
                services.step_complete(actor=actor, site=site, step_number=step_number)
                self.created += 1
        for step_number, due_on in spec.due_dates.items():
            progress = StepProgress.objects.get(site=site, step__number=step_number)
            if progress.due_on != due_on:
                services.step_set_due_date(
                    actor=actor, site=site, step_number=step_number, due_on=due_on
                )
                self.created += 1

    def person_ensure(self, site: Site, spec: content.PersonSpec, actor: User) -> Person:
        person = Person.objects.filter(programme=self.programme, name=spec.name, sites=site).first()
        if person is None:
            person = people_services.person_create(
                actor=actor, site=site, name=spec.name, kind=spec.kind,
                organisation=self.organisations[spec.organisation] if spec.organisation else None,
                job_title=spec.job_title, notes=spec.notes,
            )
            self.created += 1
        return person

    def group_ensure(
        self, site: Site, spec: content.GroupSpec, people: dict[str, Person], actor: User
    ) -> Group:
        group = Group.objects.filter(site=site, name=spec.name).first()
        if group is None:
            group = people_services.group_create(
                actor=actor, site=site, kind=spec.kind, name=spec.name, purpose=spec.purpose,
                formed_on=spec.formed_on, wave=spec.wave,
            )
            self.created += 1
        for member in spec.members:
            person = people[member.person] if member.person else None
            organisation = self.organisations[member.organisation] if member.organisation else None
            if not GroupMembership.objects.filter(
                group=group, person=person, organisation=organisation, role=member.role
            ).exists():
                people_services.membership_add(
                    actor=actor, group=group, person=person, organisation=organisation,
                    role=member.role, started_on=member.started_on, notes=member.notes,
                )
                self.created += 1
        return group

    def funding_ensure(self, site: Site, spec: content.FundingSpec, actor: User) -> None:
        if FundingLine.objects.filter(site=site, description=spec.description).exists():
            return
        services.funding_line_create(
            actor=actor, site=site, description=spec.description,
            funder=self.organisations[spec.funder] if spec.funder else None,
            funder_name=spec.funder_name, amount=None, status=spec.status,
            steps_covered=spec.steps_covered, notes=spec.notes,
        )
        self.created += 1

    def evidence_ensure(
        self, site: Site, spec: EvidenceSpec, actor: User, groups: dict[str, Group]
    ) -> None:
        criterion = site.pathway_model.steps.get(number=spec.step).criteria.get(key=spec.criterion)
        evidence = Evidence.objects.filter(
            site=site, criterion=criterion, summary=spec.summary
        ).first()
        if evidence is None:
            record: Any = None
            if spec.record:
                record = groups.get(spec.record) or self.organisations[spec.record]
            evidence = services.evidence_add(
                actor=actor, site=site, criterion=criterion,
                kind=EvidenceKind.RECORD if record is not None else EvidenceKind.NOTE,
                summary=spec.summary, note=spec.note, record=record,
                occurred_on=spec.occurred_on,
            )
            self.created += 1
        if spec.verified and not evidence.is_verified:
            services.evidence_verify(actor=actor, evidence=evidence)
            self.created += 1


def demo_load(*, progress: Callable[[str], None] = lambda message: None) -> DemoReport:
    """Load the pathway model files and the demo programme, in one transaction. Idempotent."""
    loader = _Loader()
    with transaction.atomic():
        progress("Pathway model files")
        pathways = sync_pathway_models(settings.PATHWAYS_DIR)
        progress("Programme and demo users")
        programme = loader.programme_ensure()
        users = {spec.email: loader.user_ensure(spec) for spec in content.DEMO_USERS}
        admin_spec = next(s for s in content.DEMO_USERS if s.role == Role.PROGRAMME_ADMIN)
        loader.admin = users[admin_spec.email]
        loader.role_ensure(loader.admin, admin_spec)

        for spec in content.SITES:
            progress(f"Site: {spec.name}")
            loader.site_ensure(spec)
        for spec in content.DEMO_USERS:
            if spec is not admin_spec:
                loader.role_ensure(users[spec.email], spec)

        facilitators = {
            slug: users[s.email]
            for s in content.DEMO_USERS if s.role == Role.FACILITATOR for slug in s.sites
        }
        for spec in content.SITES:
            progress(f"Evidence and steps: {spec.name}")
            loader.site_fill(spec, facilitators.get(spec.slug, loader.admin))
        progress("Events, meetings, walkabouts and the learning programme")
        loader.created += demo_events_ensure(loader.sites, loader.admin)
        progress("Listening events")
        loader.created += demo_listening_ensure(loader.sites, loader.admin)
        progress("Action plans and agency responsiveness")
        loader.created += demo_actions_ensure(loader.sites, loader.admin)
        progress("Community groups, participation and volunteering")
        loader.created += demo_community_ensure(loader.sites, loader.admin)
        progress("Wins and funding bids")
        loader.created += demo_wins_ensure(loader.sites, loader.admin)
        progress("Case studies")
        loader.created += demo_case_studies_ensure(loader.sites, loader.admin)

        # Last among the site demos: newsletters read the wins, actions and groups made above.
        progress("Newsletters and public pages")
        loader.created += demo_newsletters_ensure(loader.sites, loader.admin)

        progress("Two-factor authentication")
        logins = []
        for spec in content.DEMO_USERS:
            user = users[spec.email]
            two_factor = None
            if spec.totp_secret:
                before = user.authenticator_set.count()
                two_factor = demo_two_factor_ensure(user, spec.totp_secret)
                loader.created += user.authenticator_set.count() - before
            logins.append(
                DemoLogin(
                    email=user.email,
                    full_name=user.full_name,
                    role_label=Role(spec.role).label,
                    sites=[loader.sites[slug].name for slug in spec.sites],
                    two_factor=two_factor,
                )
            )
    progress(demo_areas_ensure())
    progress(demo_outcomes_ensure(loader.sites))
    progress(demo_value_ensure(loader.sites))
    return DemoReport(
        pathways=pathways,
        programme=programme,
        sites=[loader.sites[s.slug] for s in content.SITES],
        logins=logins,
        created=loader.created,
    )
