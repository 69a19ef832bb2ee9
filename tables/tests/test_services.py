import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.tests.factories import UserFactory
from organisations.models import MembershipRole, MembershipStatus
from organisations.tests.factories import AreaCoordinatorFactory, MembershipFactory, OrganisationFactory
from tables import services
from tables.models import (
    AnnualEvaluation,
    EvaluationAnswer,
    EvaluationResponse,
    EvaluationStatus,
    PartnershipTable,
    ProcessStep,
    ProcessTemplate,
    RoleAssignment,
    RoleSlug,
    Sector,
    StandingMember,
    StandingMemberStatus,
)
from tables.selectors import evaluation_summary
from tables.tests.factories import (
    AnnualEvaluationFactory,
    PartnershipTableFactory,
    ProcessStepFactory,
    RoleAssignmentFactory,
    default_evaluation_template,
    role,
)

pytestmark = pytest.mark.django_db


def questions_of(evaluation):
    return list(evaluation.template.questions.order_by("position"))


def full_answers(evaluation, scale=4, text="Hyvä"):
    return {q.pk: (scale if q.kind == "scale" else text) for q in questions_of(evaluation)}


# --- Seeded data --------------------------------------------------------------------------


def test_migration_seeds_roles_templates_and_default_process():
    names = {r.slug: (r.name_fi, r.name_sv, r.name_en) for r in role("owner").__class__.objects.all()}
    assert names["owner"] == ("Omistaja", "Ägare", "Owner")
    assert names["coordinator"] == ("Järjestökoordinaattori", "Organisationskoordinator", "Coordinator")
    assert names["chair"][:2] == ("Puheenjohtaja", "Ordförande")
    assert names["secretary"][:2] == ("Sihteeri", "Sekreterare")
    assert names["standing-member"][:2] == ("Vakituinen jäsen", "Ständig medlem")
    assert names["experience-expert"][:2] == ("Kokemusasiantuntija", "Erfarenhetsexpert")
    assert names["sector-director"][:2] == ("Toimialajohtaja", "Sektordirektör")
    roles = role("owner").__class__.objects.all()
    assert all(r.description_fi and r.description_sv and r.description_en for r in roles)
    questions = questions_of(AnnualEvaluation(template=default_evaluation_template()))
    assert [q.kind for q in questions] == ["scale", "scale", "scale", "text", "text"]
    assert all(q.text_fi and q.text_sv and q.text_en for q in questions)
    process = ProcessTemplate.objects.get(is_default=True)
    assert process.name == "Kumppanuuspöydän perusprosessi"
    steps = list(process.steps.select_related("role").order_by("position"))
    assert [s.position for s in steps] == list(range(1, len(steps) + 1))
    assert steps[0].role.slug == "coordinator" and steps[0].when.startswith("8 viikkoa")
    assert {s.role.slug for s in steps} >= {"owner", "coordinator", "chair", "secretary"}
    assert all(s.what and s.how and s.when for s in steps)


# --- Sectors ------------------------------------------------------------------------------


def test_sector_create_and_update(area, coordinator):
    sector = services.sector_create(actor=coordinator, welfare_area=area, name_fi="Koti- ja asumispalvelut",
                                    name_sv="Hem- och boendetjänster")
    assert sector.welfare_area == area and sector.name_sv == "Hem- och boendetjänster"
    services.sector_update(actor=coordinator, sector=sector, data={"name_fi": "Kotipalvelut", "director": coordinator})
    sector.refresh_from_db()
    assert sector.name_fi == "Kotipalvelut" and sector.director == coordinator


def test_sector_create_in_another_area_is_refused(other_area, coordinator):
    with pytest.raises(PermissionDenied):
        services.sector_create(actor=coordinator, welfare_area=other_area, name_fi="Ei oma")
    assert not Sector.objects.filter(name_fi="Ei oma").exists()


def test_sector_needs_a_name(area, coordinator):
    with pytest.raises(ValidationError):
        services.sector_create(actor=coordinator, welfare_area=area, name_fi="  ")


# --- Tables -------------------------------------------------------------------------------


def test_table_create_copies_template_steps_and_names_roles(sector, coordinator, owner):
    template = ProcessTemplate.objects.get(is_default=True)
    table = services.table_create(
        actor=coordinator, sector=sector, name_fi="Uusi pöytä", name_sv="Nytt bord", owner=owner,
        copy_steps_from_template=template,
    )
    assert table.welfare_area_id == sector.welfare_area_id
    assert list(table.coordinators.all()) == [coordinator]
    steps = list(ProcessStep.objects.filter(table=table).order_by("position"))
    template_steps = list(template.steps.order_by("position"))
    assert [(s.what, s.role_id, s.position) for s in steps] == [
        (s.what, s.role_id, s.position) for s in template_steps
    ]
    assert steps[0].history.first().history_user == coordinator
    held = set(RoleAssignment.objects.filter(table=table).values_list("role__slug", "user_id"))
    assert held == {(RoleSlug.OWNER, owner.pk), (RoleSlug.COORDINATOR, coordinator.pk)}


def test_table_create_copies_another_tables_steps(sector, coordinator, owner):
    source = PartnershipTableFactory(sector=sector)
    ProcessStepFactory(table=source, position=1, what="Ensin")
    ProcessStepFactory(table=source, position=2, what="Sitten")
    table = services.table_create(actor=coordinator, sector=sector, name_fi="Kopio", owner=owner,
                                  copy_steps_from_table=source)
    assert list(ProcessStep.objects.filter(table=table).order_by("position").values_list("what", "position")) == [
        ("Ensin", 1), ("Sitten", 2)
    ]
    assert ProcessStep.objects.filter(table=source).count() == 2


def test_table_create_refuses_two_copy_sources_and_saves_nothing(sector, coordinator, owner):
    with pytest.raises(ValidationError):
        services.table_create(
            actor=coordinator, sector=sector, name_fi="Kaksi", owner=owner,
            copy_steps_from_table=PartnershipTableFactory(sector=sector),
            copy_steps_from_template=ProcessTemplate.objects.first(),
        )
    assert not PartnershipTable.objects.filter(name_fi="Kaksi").exists()


def test_table_create_in_another_area_is_refused(other_sector, coordinator, owner):
    with pytest.raises(PermissionDenied):
        services.table_create(actor=coordinator, sector=other_sector, name_fi="Vieras", owner=owner)


def test_table_update_hands_the_owner_role_over(table, coordinator, owner, member):
    RoleAssignmentFactory(table=table, role=role("owner"), user=owner)
    new_owner = member  # an approved member of an approved organisation of the county
    services.table_update(actor=coordinator, table=table, data={"owner": new_owner, "meeting_frequency": "4/v"})
    table.refresh_from_db()
    assert table.owner == new_owner and table.meeting_frequency == "4/v"
    today = timezone.localdate()
    old = RoleAssignment.objects.get(table=table, role__slug="owner", user=owner)
    assert old.valid_to == today
    assert RoleAssignment.objects.get(table=table, role__slug="owner", user=new_owner).valid_to is None


def _not_of_the_county(area, other_organisation, pending_organisation) -> dict:
    """People a coordinator may not name as an owner or a role holder of a table of ``area``."""
    return {
        "no one's": UserFactory(),
        "another county's member": MembershipFactory(organisation=other_organisation).user,
        "another county's coordinator": AreaCoordinatorFactory().user,
        "a pending organisation's member": MembershipFactory(organisation=pending_organisation).user,
        "a pending member": MembershipFactory(
            organisation=OrganisationFactory(welfare_area=area), status=MembershipStatus.PENDING
        ).user,
        "a closed account": MembershipFactory(
            organisation=OrganisationFactory(welfare_area=area), user__is_active=False
        ).user,
    }


def test_the_owner_is_a_person_of_the_tables_county(
    table, sector, coordinator, area, other_organisation, pending_organisation
):
    """Ownership without consent (issue 11, item 10): a coordinator named any user as the owner,
    which then stopped that person from deleting their account."""
    for who, person in _not_of_the_county(area, other_organisation, pending_organisation).items():
        with pytest.raises(ValidationError) as error:
            services.table_create(actor=coordinator, sector=sector, name_fi=f"Pöytä {who}", owner=person)
        assert list(error.value.error_dict) == ["owner"], who
        with pytest.raises(ValidationError) as error:
            services.table_update(actor=coordinator, table=table, data={"owner": person})
        assert list(error.value.error_dict) == ["owner"], who
    assert not PartnershipTable.objects.filter(name_fi__startswith="Pöytä ").exists()
    table.refresh_from_db()
    assert table.owner.email == "owner@example.org"
    # The county's coordinators, its sectors' directors and approved members of its approved organisations may.
    colleague = AreaCoordinatorFactory(welfare_area=area).user
    services.table_update(actor=coordinator, table=table, data={"owner": colleague})
    assert PartnershipTable.objects.get(pk=table.pk).owner == colleague


def test_table_update_refuses_a_sector_of_another_area(table, coordinator, other_sector):
    with pytest.raises(ValidationError) as error:
        services.table_update(actor=coordinator, table=table, data={"sector": other_sector})
    assert "sector" in error.value.error_dict
    table.refresh_from_db()
    assert table.sector != other_sector


def test_table_add_and_remove_coordinator(table, coordinator, member):
    colleague = member  # an approved member of an organisation of the county: named at once
    services.table_add_coordinator(actor=coordinator, table=table, user=colleague)
    assert table.coordinators.filter(pk=colleague.pk).exists()
    assert RoleAssignment.objects.filter(table=table, role__slug="coordinator", user=colleague).exists()
    with pytest.raises(ValidationError):
        services.table_add_coordinator(actor=coordinator, table=table, user=colleague)
    services.table_remove_coordinator(actor=coordinator, table=table, user=colleague)
    assert not table.coordinators.filter(pk=colleague.pk).exists()
    assert not RoleAssignment.objects.filter(
        table=table, role__slug="coordinator", user=colleague, valid_to__isnull=True
    ).exists()


# --- Standing members ---------------------------------------------------------------------


def test_standing_member_add_by_coordinator_is_active_at_once(table, coordinator, organisation, representative):
    member = services.standing_member_add(actor=coordinator, table=table, organisation=organisation,
                                          representative=representative)
    assert member.status == StandingMemberStatus.ACTIVE and member.decided_by == coordinator
    assert member.history.first().history_user == coordinator


def test_standing_member_add_refuses_an_organisation_not_approved(table, coordinator, pending_organisation):
    with pytest.raises(ValidationError) as error:
        services.standing_member_add(actor=coordinator, table=table, organisation=pending_organisation)
    assert pending_organisation.name in error.value.error_dict["organisation"][0].message
    assert not StandingMember.objects.filter(table=table).exists()


def test_standing_member_add_twice_is_refused(standing_member, coordinator):
    with pytest.raises(ValidationError) as error:
        services.standing_member_add(actor=coordinator, table=standing_member.table,
                                     organisation=standing_member.organisation)
    assert "organisation" in error.value.error_dict


def test_standing_member_add_restarts_an_ended_membership(standing_member, coordinator):
    services.standing_member_end(actor=coordinator, standing_member=standing_member)
    again = services.standing_member_add(actor=coordinator, table=standing_member.table,
                                         organisation=standing_member.organisation)
    assert again.pk == standing_member.pk and again.status == StandingMemberStatus.ACTIVE and again.ended_at is None


def test_standing_member_request_by_representative(table, organisation, representative, coordinator,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member = services.standing_member_request(actor=representative, table=table, organisation=organisation)
    assert member.status == StandingMemberStatus.REQUESTED
    assert member.representative == representative and member.requested_by == representative
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert organisation.name in mail.outbox[0].subject
    with pytest.raises(ValidationError):
        services.standing_member_request(actor=representative, table=table, organisation=organisation)


def test_standing_member_request_needs_a_representative(table, organisation, member):
    with pytest.raises(ValidationError) as error:
        services.standing_member_request(actor=member, table=table, organisation=organisation)
    assert "organisation" in error.value.error_dict
    assert not StandingMember.objects.exists()


def test_standing_member_request_refuses_a_pending_organisation(table, pending_organisation):
    person = MembershipFactory(organisation=pending_organisation, role=MembershipRole.REPRESENTATIVE).user
    with pytest.raises(ValidationError) as error:
        services.standing_member_request(actor=person, table=table, organisation=pending_organisation)
    assert "organisation" in error.value.error_dict
    assert not StandingMember.objects.exists()


def test_standing_member_decide(table, organisation, representative, coordinator,
                                django_capture_on_commit_callbacks):
    member = services.standing_member_request(actor=representative, table=table, organisation=organisation)
    with pytest.raises(ValidationError) as error:
        services.standing_member_decide(actor=coordinator, standing_member=member, approve=False, reason=" ")
    assert "reason" in error.value.error_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.standing_member_decide(actor=coordinator, standing_member=member, approve=True)
    member.refresh_from_db()
    assert member.status == StandingMemberStatus.ACTIVE and member.decided_by == coordinator
    assert mail.outbox[-1].to == [representative.email]
    with pytest.raises(ValidationError):
        services.standing_member_decide(actor=coordinator, standing_member=member, approve=True)


def test_standing_member_decline_keeps_the_reason(table, organisation, representative, coordinator):
    member = services.standing_member_request(actor=representative, table=table, organisation=organisation)
    services.standing_member_decide(actor=coordinator, standing_member=member, approve=False, reason="Ei toimialaa")
    member.refresh_from_db()
    assert member.status == StandingMemberStatus.DECLINED and member.decline_reason == "Ei toimialaa"


def test_standing_member_update_requires_approved_members(standing_member, coordinator, outsider, representative):
    with pytest.raises(ValidationError) as error:
        services.standing_member_update(actor=coordinator, standing_member=standing_member,
                                        representative=outsider, substitute=representative)
    assert set(error.value.error_dict) == {"representative"}
    with pytest.raises(ValidationError) as error:
        services.standing_member_update(actor=coordinator, standing_member=standing_member,
                                        representative=representative, substitute=representative)
    assert set(error.value.error_dict) == {"substitute"}
    standing_member.refresh_from_db()
    assert standing_member.representative == representative


def test_standing_member_update_and_end(standing_member, coordinator, representative, member):
    services.standing_member_update(actor=coordinator, standing_member=standing_member,
                                    representative=member, substitute=representative)
    standing_member.refresh_from_db()
    assert (standing_member.representative, standing_member.substitute) == (member, representative)
    services.standing_member_end(actor=coordinator, standing_member=standing_member)
    standing_member.refresh_from_db()
    assert standing_member.status == StandingMemberStatus.ENDED and standing_member.ended_at is not None
    with pytest.raises(ValidationError):
        services.standing_member_end(actor=coordinator, standing_member=standing_member)
    assert [h.history_user for h in standing_member.history.all()][:2] == [coordinator, coordinator]


# --- Role assignments ---------------------------------------------------------------------


def test_role_assignment_create_and_end(table, coordinator, member):
    start = datetime.date(2026, 1, 1)
    assignment = services.role_assignment_create(
        actor=coordinator, table=table, role=role("secretary"), user=member, valid_from=start
    )
    assert assignment.history.first().history_user == coordinator
    services.role_assignment_end(actor=coordinator, assignment=assignment, valid_to=datetime.date(2026, 6, 30))
    assignment.refresh_from_db()
    assert assignment.valid_to == datetime.date(2026, 6, 30)


def test_a_role_holder_outside_the_county_is_nominated_not_named(table, coordinator):
    """County staff (a secretary) and private people (an experience expert) hold roles too, but only
    once they accept: before, the assignment gives them nothing (tables/tests/test_nominations.py)."""
    staff = UserFactory()
    assignment = services.role_assignment_create(
        actor=coordinator, table=table, role=role("chair"), user=staff, valid_from=datetime.date(2026, 1, 1)
    )
    assert assignment.user == staff and not assignment.is_accepted


def test_role_assignment_end_before_start_is_refused_on_the_field(table, coordinator, member):
    with pytest.raises(ValidationError) as error:
        services.role_assignment_create(
            actor=coordinator, table=table, role=role("chair"), user=member,
            valid_from=datetime.date(2026, 3, 1), valid_to=datetime.date(2026, 2, 28),
        )
    assert list(error.value.error_dict) == ["valid_to"]
    assert not RoleAssignment.objects.filter(table=table).exists()
    assignment = RoleAssignmentFactory(table=table, valid_from=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError) as error:
        services.role_assignment_end(actor=coordinator, assignment=assignment, valid_to=datetime.date(2026, 1, 1))
    assert list(error.value.error_dict) == ["valid_to"]
    with pytest.raises(ValidationError):
        services.role_assignment_update(actor=coordinator, assignment=assignment, role=role("chair"), user=member,
                                        valid_from=datetime.date(2026, 3, 1), valid_to=datetime.date(2025, 1, 1))
    assignment.refresh_from_db()
    assert assignment.valid_to is None


# --- Process steps ------------------------------------------------------------------------


def steps_of(table):
    return list(ProcessStep.objects.filter(table=table).order_by("position").values_list("what", "position"))


def test_process_steps_create_move_delete_keep_positions_contiguous(table, coordinator):
    for what in ("A", "B", "C"):
        services.process_step_create(actor=coordinator, table=table, role=role("chair"), what=what)
    assert steps_of(table) == [("A", 1), ("B", 2), ("C", 3)]
    c = ProcessStep.objects.get(table=table, what="C")
    services.process_step_move(actor=coordinator, step=c, direction="up")
    assert steps_of(table) == [("A", 1), ("C", 2), ("B", 3)]
    a = ProcessStep.objects.get(table=table, what="A")
    services.process_step_move(actor=coordinator, step=a, direction="up")  # already first: nothing changes
    services.process_step_move(actor=coordinator, step=a, direction="down")
    assert steps_of(table) == [("C", 1), ("A", 2), ("B", 3)]
    services.process_step_delete(actor=coordinator, step=ProcessStep.objects.get(table=table, what="C"))
    assert steps_of(table) == [("A", 1), ("B", 2)]
    b = ProcessStep.objects.get(table=table, what="B")
    services.process_step_update(actor=coordinator, step=b, role=role("secretary"), what="B2", how="Näin",
                                 when="Viikon sisällä")
    b.refresh_from_db()
    assert (b.what, b.role.slug, b.how, b.when) == ("B2", "secretary", "Näin", "Viikon sisällä")
    assert b.history.first().history_user == coordinator
    assert ProcessStep.history.filter(what="C", history_type="-").get().history_user == coordinator


def test_process_step_move_closes_gaps(table, coordinator):
    ProcessStepFactory(table=table, position=3, what="X")
    ProcessStepFactory(table=table, position=7, what="Y")
    services.process_step_move(actor=coordinator, step=ProcessStep.objects.get(what="Y"), direction="down")
    assert steps_of(table) == [("X", 1), ("Y", 2)]


def test_process_step_move_refuses_other_directions(table, coordinator):
    step = ProcessStepFactory(table=table)
    with pytest.raises(ValidationError):
        services.process_step_move(actor=coordinator, step=step, direction="sideways")


def test_process_step_needs_what(table, coordinator):
    with pytest.raises(ValidationError) as error:
        services.process_step_create(actor=coordinator, table=table, role=role("chair"), what="  ")
    assert "what" in error.value.error_dict
    assert not ProcessStep.objects.filter(table=table).exists()


# --- Evaluations --------------------------------------------------------------------------


def test_evaluation_schedule(table, coordinator):
    evaluation = services.evaluation_schedule(
        actor=coordinator, table=table, year=2026, opens_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 1),
    )
    assert evaluation.status == EvaluationStatus.SCHEDULED and evaluation.template.is_default
    with pytest.raises(ValidationError) as error:
        services.evaluation_schedule(actor=coordinator, table=table, year=2026, opens_on=datetime.date(2026, 11, 1),
                                     due_on=datetime.date(2026, 12, 1))
    assert "year" in error.value.error_dict


def test_evaluation_due_before_open_is_refused_on_the_field(table, coordinator):
    with pytest.raises(ValidationError) as error:
        services.evaluation_schedule(actor=coordinator, table=table, year=2026, opens_on=datetime.date(2026, 11, 1),
                                     due_on=datetime.date(2026, 10, 31))
    assert list(error.value.error_dict) == ["due_on"]
    assert not AnnualEvaluation.objects.exists()


def test_evaluation_open_notifies_and_close(table, standing_member, coordinator, owner,
                                            django_capture_on_commit_callbacks):
    evaluation = AnnualEvaluationFactory(
        table=table, status=EvaluationStatus.SCHEDULED,
        opens_on=timezone.localdate() + datetime.timedelta(days=10),
        due_on=timezone.localdate() + datetime.timedelta(days=40),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_open(actor=coordinator, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.OPEN and evaluation.opens_on == timezone.localdate()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([owner.email, coordinator.email, standing_member.representative.email,
                                 standing_member.substitute.email])
    with pytest.raises(ValidationError):
        services.evaluation_open(actor=coordinator, evaluation=evaluation)
    services.evaluation_close(actor=coordinator, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.CLOSED and evaluation.closed_at
    with pytest.raises(ValidationError):
        services.evaluation_open(actor=coordinator, evaluation=evaluation)


def test_evaluation_respond_once_per_person_and_editable_until_closed(evaluation, representative, coordinator):
    response = services.evaluation_respond(respondent=representative, evaluation=evaluation,
                                           answers=full_answers(evaluation, scale=4))
    again = services.evaluation_respond(respondent=representative, evaluation=evaluation,
                                        answers=full_answers(evaluation, scale=2, text="Muutettu"))
    assert again.pk == response.pk
    assert EvaluationResponse.objects.filter(evaluation=evaluation).count() == 1
    assert set(EvaluationAnswer.objects.filter(response=response, scale_value__isnull=False)
               .values_list("scale_value", flat=True)) == {2}
    # Coordinators answer too.
    services.evaluation_respond(respondent=coordinator, evaluation=evaluation, answers=full_answers(evaluation))
    services.evaluation_close(actor=coordinator, evaluation=evaluation)
    with pytest.raises(ValidationError):
        services.evaluation_respond(respondent=representative, evaluation=evaluation,
                                    answers=full_answers(evaluation, scale=5))
    assert set(EvaluationAnswer.objects.filter(response=response, scale_value__isnull=False)
               .values_list("scale_value", flat=True)) == {2}


@pytest.mark.parametrize("value", [0, 6, "", None, "3.5", "abc", -1])
def test_evaluation_respond_refuses_answers_outside_the_scale(evaluation, member, value):
    answers = full_answers(evaluation)
    first_scale = questions_of(evaluation)[0]
    answers[first_scale.pk] = value
    with pytest.raises(ValidationError) as error:
        services.evaluation_respond(respondent=member, evaluation=evaluation, answers=answers)
    assert list(error.value.error_dict) == [services.answer_field_name(first_scale.pk)]
    assert not EvaluationResponse.objects.exists() and not EvaluationAnswer.objects.exists()


def test_evaluation_respond_refuses_people_outside_the_table(evaluation, outsider, owner):
    for person in (outsider, owner, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.evaluation_respond(respondent=person, evaluation=evaluation, answers=full_answers(evaluation))
    assert not EvaluationResponse.objects.exists()


def test_evaluation_respond_refuses_members_of_an_ended_standing_member(evaluation, standing_member, member,
                                                                         coordinator):
    services.standing_member_end(actor=coordinator, standing_member=standing_member)
    with pytest.raises(PermissionDenied):
        services.evaluation_respond(respondent=member, evaluation=evaluation, answers=full_answers(evaluation))


def test_evaluation_respond_refuses_unknown_questions(evaluation, member):
    answers = full_answers(evaluation)
    answers[999999] = 3
    with pytest.raises(ValidationError):
        services.evaluation_respond(respondent=member, evaluation=evaluation, answers=answers)


def test_evaluation_summary_averages_texts_and_change_from_last_year(table, standing_member, representative, member,
                                                                     coordinator):
    last_year = AnnualEvaluationFactory(table=table, year=2025, opens_on=datetime.date(2025, 11, 1),
                                        due_on=datetime.date(2025, 12, 1))
    this_year = AnnualEvaluationFactory(table=table, year=2026, opens_on=datetime.date(2026, 11, 1),
                                        due_on=datetime.date(2026, 12, 1))
    services.evaluation_respond(respondent=member, evaluation=last_year, answers=full_answers(last_year, scale=2))
    services.evaluation_respond(respondent=representative, evaluation=this_year,
                                answers=full_answers(this_year, scale=5, text="Enemmän kokouksia"))
    services.evaluation_respond(respondent=coordinator, evaluation=this_year,
                                answers=full_answers(this_year, scale=4, text=""))
    summary = evaluation_summary(this_year)
    assert summary["response_count"] == 2 and summary["previous"] == last_year
    scale_items = [item for item in summary["items"] if item["is_scale"]]
    assert [item["average"] for item in scale_items] == [4.5, 4.5, 4.5]
    assert scale_items[0]["previous_average"] == 2.0 and scale_items[0]["change"] == 2.5
    assert scale_items[0]["distribution"] == [(1, 0), (2, 0), (3, 0), (4, 1), (5, 1)]
    text_items = [item for item in summary["items"] if not item["is_scale"]]
    assert text_items[0]["answers"] == ["Enemmän kokouksia"]


def test_evaluation_summary_without_answers(evaluation):
    summary = evaluation_summary(evaluation)
    assert summary["response_count"] == 0 and summary["previous"] is None
    assert all(item["average"] is None for item in summary["items"] if item["is_scale"])


def test_standing_member_organisation_from_another_area_may_join(table, coordinator, other_organisation):
    # Organisations are reviewed by their own county, but may sit on any county's table.
    member = services.standing_member_add(actor=coordinator, table=table, organisation=other_organisation)
    assert member.status == StandingMemberStatus.ACTIVE



# --- Reopening an evaluation, publishing its results -------------------------------------


def test_a_closed_evaluation_is_reopened_with_its_answers_until_the_results_are_published(
    evaluation, representative, coordinator
):
    services.evaluation_respond(respondent=representative, evaluation=evaluation, answers=full_answers(evaluation))
    services.evaluation_close(actor=coordinator, evaluation=evaluation)
    new_due = timezone.localdate() + datetime.timedelta(days=7)
    reopened = services.evaluation_reopen(actor=coordinator, evaluation=evaluation, due_on=new_due)
    assert reopened.status == EvaluationStatus.OPEN and reopened.due_on == new_due and reopened.closed_at is None
    assert EvaluationResponse.objects.filter(evaluation=evaluation, respondent=representative).exists()
    # Answers can be changed again.
    services.evaluation_respond(respondent=representative, evaluation=evaluation,
                                answers=full_answers(evaluation, scale=1))
    services.evaluation_close(actor=coordinator, evaluation=evaluation)
    published = services.evaluation_publish_results(actor=coordinator, evaluation=evaluation)
    assert published.results_published_at is not None
    with pytest.raises(ValidationError):
        services.evaluation_reopen(actor=coordinator, evaluation=evaluation, due_on=new_due)
    with pytest.raises(ValidationError):
        services.evaluation_publish_results(actor=coordinator, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.CLOSED


def test_only_a_closed_evaluation_is_reopened_or_published(evaluation, coordinator):
    due = timezone.localdate() + datetime.timedelta(days=7)
    with pytest.raises(ValidationError):
        services.evaluation_reopen(actor=coordinator, evaluation=evaluation, due_on=due)
    with pytest.raises(ValidationError):
        services.evaluation_publish_results(actor=coordinator, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.OPEN and evaluation.results_published_at is None


def test_reopening_needs_a_due_date_not_in_the_past(evaluation, coordinator):
    services.evaluation_close(actor=coordinator, evaluation=evaluation)
    with pytest.raises(ValidationError) as error:
        services.evaluation_reopen(actor=coordinator, evaluation=evaluation,
                                   due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert "due_on" in error.value.error_dict
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.CLOSED


def test_only_those_who_run_the_evaluation_reopen_or_publish_it(evaluation, coordinator, representative, owner):
    services.evaluation_close(actor=coordinator, evaluation=evaluation)
    due = timezone.localdate() + datetime.timedelta(days=7)
    with pytest.raises(PermissionDenied):
        services.evaluation_reopen(actor=representative, evaluation=evaluation, due_on=due)
    with pytest.raises(PermissionDenied):
        services.evaluation_publish_results(actor=representative, evaluation=evaluation)
    # The owner runs the evaluation too.
    assert services.evaluation_reopen(actor=owner, evaluation=evaluation, due_on=due).status == EvaluationStatus.OPEN
