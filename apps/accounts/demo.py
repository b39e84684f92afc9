"""The demo's organisations, people and workspace content (`make demo`). Running it again
changes nothing that is already there: organisations and users are found by their slug and
username (passwords and second factors are reset to the documented ones), content by its title
or text.

Every credential here is PUBLIC on purpose: this is for a demo on a laptop, never for a server
that holds real data.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission

from apps.organisations import services as organisations
from apps.organisations.models import Membership, Organisation, Role

from .models import SiteRole, User
from .services import ensure_totp_device

DEMO_PASSWORD = "zicht-demo-2024"
STEWARDS_GROUP = "Databeheerders"
# The apps whose admin pages a data steward works in (uploads, releases, disclosure, geography).
STEWARD_APPS = ("sources", "releases", "disclosure", "geography", "indicators")


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: str
    area_code: str = ""


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    email: str
    what: str  # the role, as printed with the credentials
    site_role: str = SiteRole.NONE
    organisation: str = ""
    role: str = ""
    # The second factor: a fixed hex key, as the demo superuser's (apps/accounts/management/...).
    totp_key_hex: str = ""


ORGANISATIONS = [
    DemoOrganisation("baarn", "Gemeente Baarn", Organisation.Kind.GEMEENTE, "GM0308"),
    DemoOrganisation("utrecht", "Gemeente Utrecht", Organisation.Kind.GEMEENTE, "GM0344"),
    DemoOrganisation("riec-midden-nederland", "RIEC Midden-Nederland", Organisation.Kind.RIEC),
]

USERS = [
    DemoUser("beheerder", "Bea", "de Beheerder", "beheerder@zicht.example", "data steward",
             site_role=SiteRole.STEWARD, totp_key_hex="7a69636874206265686565726465720001"),
    DemoUser("baarn-admin", "Anna", "Admiraal", "admin@baarn.example", "organisation admin of Gemeente Baarn",
             organisation="baarn", role=Role.ADMIN, totp_key_hex="7a6963687420626161726e2061646d01"),
    DemoUser("baarn-redacteur", "Ruud", "Redacteur", "redacteur@baarn.example", "editor of Gemeente Baarn",
             organisation="baarn", role=Role.EDITOR),
    DemoUser("baarn-lid", "Lotte", "Lid", "lid@baarn.example", "member of Gemeente Baarn",
             organisation="baarn", role=Role.MEMBER),
    DemoUser("utrecht-redacteur", "Umut", "Redacteur", "redacteur@utrecht.example", "editor of Gemeente Utrecht",
             organisation="utrecht", role=Role.EDITOR),
    DemoUser("riec-lid", "Rik", "Lid", "lid@riec-mn.example", "member of RIEC Midden-Nederland",
             organisation="riec-midden-nederland", role=Role.MEMBER),
]


def totp_secret(key_hex: str) -> str:
    """The base32 secret an authenticator app takes (``oathtool --totp -b <secret>``)."""
    return base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")


@dataclass
class DemoReport:
    credentials: list[tuple[DemoUser, str]] = field(default_factory=list)  # (user, secret or "")
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def ensure_organisations() -> dict[str, Organisation]:
    found = {}
    for spec in ORGANISATIONS:
        organisation = Organisation.objects.filter(slug=spec.slug).first()
        if organisation is None:
            organisation = organisations.create_organisation(name=spec.name, slug=spec.slug, kind=spec.kind,
                                                             area_code=spec.area_code)
        found[spec.slug] = organisation
    return found


def _stewards_group() -> Group:
    group, _created = Group.objects.get_or_create(name=STEWARDS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=STEWARD_APPS))
    return group


def ensure_user(spec: DemoUser, organisations_by_slug: dict[str, Organisation]) -> User:
    user, _created = User.objects.get_or_create(username=spec.username)
    user.first_name, user.last_name, user.email = spec.first_name, spec.last_name, spec.email
    user.site_role = spec.site_role
    user.is_active = True
    user.is_staff = spec.site_role == SiteRole.STEWARD  # stewards work in the admin
    user.set_password(DEMO_PASSWORD)
    user.save()
    if spec.site_role == SiteRole.STEWARD:
        user.groups.add(_stewards_group())
    if spec.organisation:
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation=organisations_by_slug[spec.organisation], defaults={"role": spec.role})
        if membership.role != spec.role:
            membership.role = spec.role
            membership.save(update_fields=["role"])
    if spec.totp_key_hex:
        ensure_totp_device(user, key_hex=spec.totp_key_hex)
    return user


def _note(report: DemoReport, **fields) -> None:
    from apps.workspaces import services as workspaces
    from apps.workspaces.models import Note

    if Note.objects.filter(organisation=fields["organisation"], body=fields["body"]).exists():
        return
    workspaces.write_note(**fields)
    report.created.append(f"note: {fields['body'][:40]}…")


def ensure_notes(people: dict[str, User], orgs: dict[str, Organisation], report: DemoReport) -> None:
    from apps.workspaces.models import Visibility

    baarn, editor, member = orgs["baarn"], people["baarn-redacteur"], people["baarn-lid"]
    _note(report, user=editor, organisation=baarn, area_code="GM0308", indicator="aankopen_zonder_hypotheek",
          year=2024, visibility=Visibility.ORGANISATION,
          body="Het aandeel aankopen zonder hypotheek ligt in Baarn **boven** dat van vergelijkbare gemeenten. "
               "Navragen bij de afdeling Vergunningen of dit samenhangt met de verkoop van villa's in Lage Vuursche.")
    _note(report, user=member, organisation=baarn, area_code="WK030800", indicator="hennepkwekerijen_per_1000_woningen",
          year=2024, visibility=Visibility.PRIVATE,
          body="Voor mezelf: bij het volgende wijkoverleg de ontmantelde hennepkwekerijen in de wijk Baarn ter "
               "sprake brengen.")
    _note(report, user=editor, organisation=baarn, area_code="BU03080000",
          indicator="verdachte_transacties_per_1000_inwoners", year=2024, visibility=Visibility.SHARED,
          body="In het centrum zijn de cijfers deels afgeschermd (te weinig meldingen). Een patroon, geen bewijs: "
               "we bespreken dit in het RIEC-overleg.")


def _comparison_selection(release) -> tuple[list[str], list[str], list[int]] | None:
    """Baarn with its nearest neighbours on context figures, on indicators that have values."""
    from apps.releases import selectors as reader

    cells = reader.area_cells(release, "GM0308")
    if not cells:
        return None
    latest = max(cell.year for cell in cells)
    current = [cell for cell in cells if cell.year == latest]
    indicators = sorted({cell.indicator for cell in current if cell.value is not None and cell.knn_codes})
    preferred = [slug for slug in ("verdachte_transacties_per_1000_inwoners", "hennepkwekerijen_per_1000_woningen",
                                   "aankopen_zonder_hypotheek") if slug in indicators]
    chosen = (preferred or indicators)[:3]
    if not chosen:
        chosen = sorted({cell.indicator for cell in current})[:3]
    neighbours = next((cell.knn_codes for cell in current if cell.indicator == chosen[0]), "")
    areas = ["GM0308"] + [code for code in neighbours.split(",") if code.startswith("GM")][:3]
    return areas, chosen, [latest]


def ensure_comparison(people: dict[str, User], orgs: dict[str, Organisation], report: DemoReport) -> None:
    from apps.releases.cache import current_release
    from apps.workspaces import services as workspaces
    from apps.workspaces.models import SavedComparison

    title = "Baarn en vergelijkbare gemeenten"
    if SavedComparison.objects.filter(organisation=orgs["baarn"], title=title).exists():
        return
    release = current_release()
    if release is None:
        report.skipped.append("saved comparison: there is no published release yet")
        return
    selection = _comparison_selection(release)
    if selection is None:
        report.skipped.append(f"saved comparison: release {release.number} has no figures for Baarn")
        return
    areas, indicators, years = selection
    workspaces.save_comparison(user=people["baarn-redacteur"], organisation=orgs["baarn"], title=title,
                               area_codes=areas, indicators=indicators, years=years, release=release)
    report.created.append(f"saved comparison: {title} ({', '.join(areas)})")


KNOWLEDGE = [
    # (organisation, author, kind, title, body, themes, commenter organisation, commenter, comment)
    ("baarn", "baarn-redacteur", "approach", "Integrale controle bij vakantieparken",
     "Samen met politie, brandweer en de Belastingdienst controleren we twee keer per jaar de vakantieparken. "
     "Vooraf delen we de signalen uit Zicht, achteraf leggen we vast wat we vonden.",
     ["vastgoed", "drugs"], "utrecht", "utrecht-redacteur",
     "Goed idee om vooraf de signalen te delen. Hoe regelen jullie de gegevensdeling met de Belastingdienst?"),
    ("utrecht", "utrecht-redacteur", "lesson", "Bibob-toets bij horecavergunningen: wat we leerden",
     "Een Bibob-toets kost tijd; begin er vroeg mee en leg vooraf vast bij welke signalen je hem inzet. "
     "Zo houd je het voor ondernemers voorspelbaar.",
     ["branches"], "baarn", "baarn-redacteur",
     "Herkenbaar. Wij gebruiken sinds dit jaar een vaste lijst met signalen; die delen we graag."),
    ("baarn", "baarn-redacteur", "contact", "Contactpersoon ondermijning Baarn",
     "Voor vragen over onze aanpak: het team Openbare Orde en Veiligheid, via ondermijning@baarn.example.",
     [], "utrecht", "utrecht-redacteur", "Dank, we nemen contact op over de vakantieparken."),
]


def ensure_knowledge(people: dict[str, User], orgs: dict[str, Organisation], report: DemoReport) -> None:
    from apps.workspaces import services as workspaces
    from apps.workspaces.models import KnowledgeItem

    for org, author, kind, title, body, themes, comment_org, commenter, comment in KNOWLEDGE:
        item = KnowledgeItem.objects.filter(organisation=orgs[org], title=title).first()
        if item is None:
            item = workspaces.share_knowledge(user=people[author], organisation=orgs[org], kind=kind, title=title,
                                              body=body, themes=themes)
            report.created.append(f"knowledge item: {title}")
        if not item.comments.filter(organisation=orgs[comment_org], body=comment).exists():
            workspaces.comment(user=people[commenter], organisation=orgs[comment_org], item=item, body=comment)


DEMO_LAYER_TITLE = "Controles horeca en vakantieparken (synthetische demonstratiedata)"


def ensure_layer(people: dict[str, User], orgs: dict[str, Organisation], report: DemoReport) -> None:
    """An own data layer of Baarn per buurt, made up (seeded) and said to be, uploaded and
    confirmed through the same path an editor takes."""
    import numpy as np
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.datalayers import services as datalayers
    from apps.datalayers.models import DataLayer
    from apps.geography import selectors as geography

    baarn = orgs["baarn"]
    if DataLayer.objects.filter(organisation=baarn, title=DEMO_LAYER_TITLE).exists():
        return
    codes = list(geography.within_gemeente(baarn.area_code, vintage=geography.default_vintage(), levels=("buurt",))
                 .values_list("code", flat=True))
    if not codes:
        report.skipped.append("own data layer: the buurten of Baarn are not loaded")
        return
    rng = np.random.default_rng(2024)
    lines = ["gebiedscode;jaar;waarde"] + [
        f"{code};{year};{rng.poisson(3 if code.endswith('00') else 1)}" for year in (2023, 2024) for code in codes
    ]
    upload = SimpleUploadedFile("controles_baarn.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")
    layer = datalayers.upload_layer(
        user=people["baarn-redacteur"], organisation=baarn, uploaded=upload, title=DEMO_LAYER_TITLE, level="buurt",
        unit="controles", source="Eigen registratie gemeente (synthetische demonstratiedata)",
        description="Aantal integrale controles per buurt. Verzonnen cijfers voor de demonstratie.",
    )
    datalayers.confirm_layer(user=people["baarn-redacteur"], layer=layer)
    report.created.append(f"own data layer: {DEMO_LAYER_TITLE}")


def create_demo_content() -> DemoReport:
    """Organisations, one user per role and some workspace content; the same on every run."""
    report = DemoReport()
    orgs = ensure_organisations()
    people = {}
    for spec in USERS:
        people[spec.username] = ensure_user(spec, orgs)
        report.credentials.append((spec, totp_secret(spec.totp_key_hex) if spec.totp_key_hex else ""))
    ensure_notes(people, orgs, report)
    ensure_comparison(people, orgs, report)
    ensure_knowledge(people, orgs, report)
    ensure_layer(people, orgs, report)
    return report
