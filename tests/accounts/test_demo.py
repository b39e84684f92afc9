"""`make demo`'s organisations, users and workspace content (apps/accounts/demo.py): one user per
role with the documented password and second factors, content made through the services, and a
second run that changes nothing."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import demo
from apps.accounts.models import SiteRole, User
from apps.datalayers.models import DataLayer, LayerValue
from apps.geography.models import Area
from apps.organisations.models import Membership, Organisation, Role
from apps.releases.models import PublishedValue, Release
from apps.workspaces.models import KnowledgeComment, KnowledgeItem, Note, SavedComparison, Visibility

INDICATOR = "verdachte_transacties_per_1000_inwoners"
NEIGHBOURS = ["GM0342", "GM0310", "GM0317"]  # Soest, De Bilt, Eemnes


@pytest.fixture
def small_release(geo):
    release = Release.objects.create(number=1, status=Release.Status.PUBLISHED, is_current=True)
    for number, code in enumerate(["GM0308", *NEIGHBOURS]):
        PublishedValue.objects.create(release=release, indicator=INDICATOR, area_code=code, vintage=2024, year=2024,
                                      value=3.0 + number, status="V",
                                      knn_codes=",".join(NEIGHBOURS) if code == "GM0308" else "")
    return release


def run_command() -> str:
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in (
        Organisation, User, Membership, TOTPDevice, Note, SavedComparison, KnowledgeItem, KnowledgeComment,
        DataLayer, LayerValue)}


def test_the_demo_creates_one_user_per_role_with_content_and_runs_twice(small_release):
    first = run_command()
    after_first = counts()
    second = run_command()
    assert counts() == after_first  # idempotent

    assert set(Organisation.objects.values_list("slug", "area_code", "kind")) == {
        ("baarn", "GM0308", "gemeente"), ("utrecht", "GM0344", "gemeente"), ("riec-midden-nederland", "", "riec")}
    roles = {(m.user.username, m.organisation.slug): m.role for m in Membership.objects.select_related("user", "organisation")}
    assert roles == {
        ("baarn-admin", "baarn"): Role.ADMIN, ("baarn-redacteur", "baarn"): Role.EDITOR,
        ("baarn-lid", "baarn"): Role.MEMBER, ("utrecht-redacteur", "utrecht"): Role.EDITOR,
        ("riec-lid", "riec-midden-nederland"): Role.MEMBER,
    }
    steward = User.objects.get(username="beheerder")
    assert steward.site_role == SiteRole.STEWARD and steward.is_staff and not steward.is_superuser

    request = RequestFactory().post("/account/login/")
    for spec in demo.USERS:
        assert authenticate(request, username=spec.username, password=demo.DEMO_PASSWORD) is not None, spec.username
        line = next(line for line in second.splitlines() if line.strip().startswith(f"{spec.username} / "))
        assert demo.DEMO_PASSWORD in line
        devices = TOTPDevice.objects.filter(user__username=spec.username, confirmed=True)
        if spec.totp_key_hex:
            secret = demo.totp_secret(spec.totp_key_hex)
            assert f"TOTP secret {secret}" in line
            assert devices.count() == 1 and devices[0].key == spec.totp_key_hex
            assert devices[0].verify_token(totp(bytes.fromhex(spec.totp_key_hex)))
        else:
            assert not devices.exists()
    assert {spec.username for spec in demo.USERS if spec.totp_key_hex} == {"beheerder", "baarn-admin"}

    baarn = Organisation.objects.get(slug="baarn")
    assert set(Note.objects.filter(organisation=baarn).values_list("visibility", flat=True)) == set(Visibility)
    saved = SavedComparison.objects.get(organisation=baarn)
    assert saved.area_codes == ["GM0308", *NEIGHBOURS] and saved.indicators == [INDICATOR]
    assert saved.release_number == small_release.number and saved.snapshot[f"{INDICATOR}|GM0308|2024"] == [3.0, "V"]
    kinds = set(KnowledgeItem.objects.values_list("organisation__slug", "kind"))
    assert {("baarn", "approach"), ("utrecht", "lesson"), ("baarn", "contact")} == kinds
    for item in KnowledgeItem.objects.all():
        assert item.comments.exclude(organisation=item.organisation).exists(), item.title
    layer = DataLayer.objects.get(organisation=baarn, status=DataLayer.Status.ACTIVE)
    assert "synthetische demonstratiedata" in layer.title and layer.years == [2023, 2024]
    baarn_buurten = Area.objects.filter(vintage=2024, level="buurt", code__startswith="BU0308").count()
    assert layer.values.count() == 2 * baarn_buurten > 0
    assert "Demo content created" in first and "Demo content created" not in second


def test_without_a_release_the_comparison_is_skipped_with_a_message(db):
    output = run_command()
    assert "Demo content skipped: saved comparison" in output
    assert not SavedComparison.objects.exists()
    assert Note.objects.count() == 3 and KnowledgeItem.objects.count() == 3
