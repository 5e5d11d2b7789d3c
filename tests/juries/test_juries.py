"""Juries and mandates: who creates them, what they cover, presidents and vice-presidents, mandate dates."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership
from cqp.core.models import AuditEvent
from cqp.juries import selectors, services
from cqp.juries.enums import College, MemberRole, ParityRule
from cqp.juries.models import Jury, JuryMember
from tests.candidacies.factories import UserFactory, certification_with_blocks

from .factories import MANDATE_END, MANDATE_START, jury_staff, jury_with_members, member_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def certification():
    return certification_with_blocks()


@pytest.fixture
def staff(certification):
    return jury_staff(certification.certifiers.first())


def add(
    jury, staff, *, college=College.EMPLOYERS, role=MemberRole.MEMBER, start=MANDATE_START, end=MANDATE_END, user=None
):
    return services.jury_member_add(
        jury=jury,
        by=staff,
        user=user or UserFactory(),
        college=college,
        represents="MEDEF" if college == College.EMPLOYERS else "CGT",
        role=role,
        mandate_start=start,
        mandate_end=end,
    )


def test_staff_create_a_jury_for_their_certifications(certification, staff):
    jury = services.jury_create(
        certifier=certification.certifiers.first(),
        by=staff,
        name="  Jury national  ",
        certifications=[certification],
        parity_rule=ParityRule.WEIGHTED,
    )
    assert jury.name == "Jury national"
    assert list(jury.certifications.all()) == [certification]
    assert jury.parity_rule == ParityRule.WEIGHTED
    assert AuditEvent.objects.filter(action="jury_create", object_id=str(jury.pk), actor=staff).exists()


def test_staff_of_another_certifier_may_not_create_a_jury(certification):
    other_staff = jury_staff(certification_with_blocks().certifiers.first())
    with pytest.raises(PermissionDenied):
        services.jury_create(
            certifier=certification.certifiers.first(), by=other_staff, name="Jury", certifications=[certification]
        )
    assert not Jury.objects.exists()


def test_certifications_of_another_certifier_are_refused(certification, staff):
    foreign = certification_with_blocks()
    with pytest.raises(ValidationError) as error:
        services.jury_create(
            certifier=certification.certifiers.first(),
            by=staff,
            name="Jury",
            certifications=[certification, foreign],
        )
    assert foreign.code in str(error.value.message_dict["certifications"])
    assert not Jury.objects.exists()


def test_a_jury_needs_a_name_a_certification_and_a_known_parity_rule(certification, staff):
    with pytest.raises(ValidationError) as error:
        services.jury_create(
            certifier=certification.certifiers.first(), by=staff, name=" ", certifications=[], parity_rule="MAJORITY"
        )
    assert set(error.value.message_dict) == {"name", "certifications", "parity_rule"}
    assert not Jury.objects.exists()


def test_members_get_the_jury_member_role_of_the_certifier(certification):
    jury, _staff = jury_with_members(certification)
    assert jury.members.count() == 4
    president = member_user(jury, MemberRole.PRESIDENT)
    assert Membership.objects.filter(user=president, role=Role.JURY_MEMBER, certifier=jury.certifier).exists()
    assert jury.members.get(role=MemberRole.PRESIDENT).college == College.EMPLOYERS
    assert jury.members.get(role=MemberRole.VICE_PRESIDENT).college == College.EMPLOYEES


def test_president_and_vice_president_come_from_different_colleges(certification, staff):
    jury = services.jury_create(
        certifier=certification.certifiers.first(), by=staff, name="Jury", certifications=[certification]
    )
    add(jury, staff, college=College.EMPLOYEES, role=MemberRole.PRESIDENT)
    with pytest.raises(ValidationError) as error:
        add(jury, staff, college=College.EMPLOYEES, role=MemberRole.VICE_PRESIDENT)
    assert "collèges différents" in str(error.value)
    add(jury, staff, college=College.EMPLOYERS, role=MemberRole.VICE_PRESIDENT)
    assert jury.members.count() == 2


@pytest.mark.parametrize("role", [MemberRole.PRESIDENT, MemberRole.VICE_PRESIDENT])
def test_one_president_and_one_vice_president_at_a_time(certification, staff, role):
    jury = services.jury_create(
        certifier=certification.certifiers.first(), by=staff, name="Jury", certifications=[certification]
    )
    first = add(jury, staff, role=role)
    with pytest.raises(ValidationError) as error:
        add(jury, staff, role=role, start=MANDATE_END - timedelta(days=10), end=MANDATE_END + timedelta(days=365))
    assert "déjà un" in str(error.value)
    # A successor whose mandate starts after the first one ends is accepted.
    successor = add(
        jury, staff, role=role, start=first.mandate_end + timedelta(days=1), end=first.mandate_end + timedelta(days=900)
    )
    assert successor.role == role
    assert jury.members.filter(role=role).count() == 2


def test_mandate_dates_are_checked(certification, staff):
    jury = services.jury_create(
        certifier=certification.certifiers.first(), by=staff, name="Jury", certifications=[certification]
    )
    with pytest.raises(ValidationError) as error:
        add(jury, staff, start=MANDATE_END, end=MANDATE_START)
    assert "mandate_end" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        add(jury, staff, start=None, end=None)
    assert "mandate_start" in error.value.message_dict
    person = UserFactory()
    add(jury, staff, user=person)
    with pytest.raises(ValidationError) as error:
        add(jury, staff, user=person, college=College.EMPLOYEES)
    assert "déjà un mandat" in str(error.value)
    assert jury.members.count() == 1


def test_a_member_needs_a_college_a_role_and_an_organisation(certification, staff):
    jury = services.jury_create(
        certifier=certification.certifiers.first(), by=staff, name="Jury", certifications=[certification]
    )
    with pytest.raises(ValidationError) as error:
        services.jury_member_add(
            jury=jury,
            by=staff,
            user=UserFactory(),
            college="STUDENTS",
            represents=" ",
            role="CHAIR",
            mandate_start=MANDATE_START,
            mandate_end=MANDATE_END,
        )
    assert {"college", "role", "represents"} <= set(error.value.message_dict)
    assert not JuryMember.objects.exists()


def test_staff_of_another_certifier_may_not_add_members(certification):
    jury, _staff = jury_with_members(certification)
    other_staff = jury_staff(certification_with_blocks().certifiers.first())
    with pytest.raises(PermissionDenied):
        add(jury, other_staff)
    assert jury.members.count() == 4


def test_juries_are_visible_to_their_certifier_and_their_members_only(certification):
    jury, staff = jury_with_members(certification)
    other_jury, other_staff = jury_with_members(certification_with_blocks())
    assert list(selectors.juries_visible_to(staff)) == [jury]
    assert list(selectors.juries_visible_to(other_staff)) == [other_jury]
    assert list(selectors.juries_visible_to(member_user(jury, MemberRole.PRESIDENT))) == [jury]
    assert not selectors.juries_visible_to(UserFactory()).exists()
