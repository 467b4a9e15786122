"""Roles: every role against every action, and where a signed-in person's roles come from."""

from __future__ import annotations

import inspect
from datetime import date
from pathlib import Path

import pytest

from analytics.auth import roles
from analytics.auth.roles import ACTIONS, Identity, Role, RoleRules, identity_from_claims, require
from analytics.core.errors import PermissionDenied, RoleFileError
from analytics.core.settings import Settings
from analytics.store import ledger
from analytics.store.reader import Store
from analytics.uploads import pipeline as uploads
from tests.conftest import uploads_written

# The whole policy, written out: role -> action -> allowed.
ALLOWED = {
    Role.VIEWER: {"view"},
    Role.LIAISON: {"view", "record"},
    Role.ANALYST: {"view", "record", "upload", "undo", "see_ledger"},
    Role.ADMIN: {"view", "record", "upload", "undo", "see_ledger", "manage_roles"},
}
POLICY = {role: {action: action in allowed for action in ACTIONS} for role, allowed in ALLOWED.items()}
ROLE_FILE = "email,role\nAvery@Example.org,analyst\nlee@example.org,viewer\nlee@example.org,admin\n"


def person(*held: Role, email: str = "someone@example.org") -> Identity:
    return Identity(email=email, name="Someone", roles=frozenset(held))


def test_the_policy_table_covers_every_role_and_action():
    assert set(POLICY) == set(Role)
    assert all(allowed <= set(ACTIONS) for allowed in ALLOWED.values())


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [(role, action, allowed) for role, actions in POLICY.items() for action, allowed in actions.items()],
)
def test_every_role_against_every_action(role, action, allowed):
    identity = person(role)
    assert identity.may(action) is allowed
    if allowed:
        require(identity, action)
    else:
        with pytest.raises(PermissionDenied) as refusal:
            require(identity, action)
        assert refusal.value.action == action
        assert "someone@example.org may not" in str(refusal.value)
        assert "Nothing was changed" in str(refusal.value)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_no_role_may_do_nothing(action):
    with pytest.raises(PermissionDenied, match="you hold no role"):
        require(person(), action)


def test_an_unknown_action_is_a_programming_error_not_a_refusal():
    with pytest.raises(ValueError, match="unknown action"):
        person(Role.ADMIN).may("delete_everything")


def test_local_and_operator_identities_hold_every_role():
    assert roles.local_identity().roles == frozenset(Role)
    operator = roles.operator_identity("cron")
    assert (operator.label, operator.is_local, operator.roles) == ("cron", True, frozenset(Role))
    assert roles.operator_identity().name  # the OS login name


def test_acting_identity_passes_an_identity_through_and_makes_a_name_the_operator():
    viewer = person(Role.VIEWER)
    assert roles.acting_identity(viewer) is viewer
    assert roles.acting_identity("Avery").roles == frozenset(Role)


# -- resolution -----------------------------------------------------------------------------------


def rules(role_file: str = ROLE_FILE, **options) -> RoleRules:
    return RoleRules(by_email=roles.roles_by_email(roles.parse_role_file(role_file)), **options)


def test_roles_come_from_the_role_file_case_insensitively_and_add_up():
    found = rules()
    assert found.roles_of("avery@example.org") == {Role.ANALYST}
    assert found.roles_of(" LEE@example.org ") == {Role.VIEWER, Role.ADMIN}


def test_roles_come_from_a_mapped_group_claim():
    found = rules(by_group=roles.group_roles([("affiliate-analysts", "analyst"), ("board", "viewer")]))
    identity = identity_from_claims({"email": "new@example.org", "groups": ["board", "other"]}, found)
    assert identity.roles == {Role.VIEWER}
    both = identity_from_claims({"email": "lee@example.org", "groups": ["affiliate-analysts"]}, found)
    assert both.roles == {Role.VIEWER, Role.ADMIN, Role.ANALYST}


def test_the_groups_claim_name_is_a_setting_and_a_single_string_counts():
    found = rules(by_group={"g1": Role.ANALYST}, groups_claim="roles")
    assert identity_from_claims({"email": "x@example.org", "roles": "g1"}, found).roles == {Role.ANALYST}
    assert identity_from_claims({"email": "x@example.org", "groups": ["g1"]}, found).roles == frozenset()


def test_an_unlisted_person_gets_no_role_by_default_or_viewer_when_set():
    claims = {"email": "stranger@example.com", "name": "Stranger"}
    assert identity_from_claims(claims, rules()).roles == frozenset()
    assert identity_from_claims(claims, rules(unlisted=Role.VIEWER)).roles == {Role.VIEWER}


def test_an_unverified_email_is_not_used_for_roles():
    claims = {"email": "avery@example.org", "email_verified": False}
    assert identity_from_claims(claims, rules()).roles == frozenset()
    assert identity_from_claims({**claims, "email_verified": True}, rules()).roles == {Role.ANALYST}


def test_claims_give_the_name_email_and_groups():
    identity = identity_from_claims({"email": "Avery@Example.org", "name": "Avery Stone", "groups": ["a"]}, rules())
    assert (identity.email, identity.name, identity.groups, identity.is_local) == (
        "avery@example.org",
        "Avery Stone",
        ("a",),
        False,
    )
    assert identity.label == "avery@example.org"


def test_nothing_the_browser_sends_reaches_role_resolution():
    # The only inputs are the ID token's claims and the server's own rules: no query parameters, widget
    # state, headers or cookies. A claims dict carrying a URL-like "role" grants nothing.
    parameters = inspect.signature(identity_from_claims).parameters
    assert list(parameters) == ["claims", "rules"]
    claims = {"email": "stranger@example.com", "role": "admin", "roles": ["admin"], "query_params": {"role": "admin"}}
    assert identity_from_claims(claims, rules()).roles == frozenset()


def test_the_role_file_path_and_group_mapping_come_from_settings(tmp_path):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "roles.csv").write_text(ROLE_FILE)
    settings = Settings.from_environment(
        {"AFFILIATE_DATA_DIR": str(tmp_path), "AFFILIATE_GROUP_ROLES": "g=admin; h = viewer"}
    )
    found = RoleRules.from_settings(settings)
    assert found.roles_of("avery@example.org") == {Role.ANALYST}
    assert found.by_group == {"g": Role.ADMIN, "h": Role.VIEWER}
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("email,role\nz@example.org,admin\n")
    settings = Settings.from_environment({"AFFILIATE_DATA_DIR": str(tmp_path), "AFFILIATE_ROLES_FILE": str(elsewhere)})
    assert RoleRules.from_settings(settings).roles_of("z@example.org") == {Role.ADMIN}


def test_a_missing_role_file_means_nobody_is_listed(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert RoleRules.from_settings(settings).by_email == {}
    assert roles.role_holders(settings).empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mail,role\nx@example.org,viewer\n", "missing: email"),
        ("email,role\nx@example.org,superuser\n", "line 2: unknown role 'superuser'"),
        ("email,role\nnobody,viewer\n", "line 2: 'nobody' is not an e-mail address"),
    ],
)
def test_a_bad_role_file_is_refused_naming_the_line(text, message):
    with pytest.raises(RoleFileError, match=message):
        roles.parse_role_file(text)


def test_blank_lines_and_extra_columns_are_fine():
    grants = roles.parse_role_file("email,role,note\n\nx@example.org,viewer,board\n,\n")
    assert grants.to_dict("records") == [{"email": "x@example.org", "role": "viewer"}]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"AFFILIATE_GROUP_ROLES": "g=owner"}, "not a role"),
        ({"AFFILIATE_GROUP_ROLES": "=viewer"}, "without a group name"),
        ({"AFFILIATE_UNLISTED_ROLE": "analyst"}, "must be 'none' or 'viewer'"),
    ],
)
def test_bad_role_settings_are_refused(tmp_path, environment, message):
    with pytest.raises(RoleFileError, match=message):
        RoleRules.from_settings(Settings.from_environment({"AFFILIATE_DATA_DIR": str(tmp_path), **environment}))


def test_role_holders_lists_each_person_once_with_roles_in_order(tmp_path):
    path = Path(tmp_path) / "roles.csv"
    path.write_text(ROLE_FILE)
    holders = roles.role_holders(Settings(data_dir=tmp_path, roles_file=path))
    assert holders.to_dict("records") == [
        {"email": "avery@example.org", "roles": "analyst"},
        {"email": "lee@example.org", "roles": "viewer, admin"},
    ]


# -- enforced where the data changes --------------------------------------------------------------

GOOD_FILE = b"affiliate,date,members,icma members\nCal-ICMA,2025-11-30,1020,610\n"


def checked_upload(data_dir: Path):
    store = Store(data_dir)
    settings = Settings(data_dir=data_dir)
    return uploads.check_file(GOOD_FILE, "m.csv", "membership", store, settings, today=date(2026, 11, 27)), store


def test_a_viewer_cannot_commit_and_nothing_is_written(tiny_data_dir):
    checked, store = checked_upload(tiny_data_dir)
    with pytest.raises(PermissionDenied, match="may not upload data"):
        uploads.commit(checked, GOOD_FILE, store, committed_by=person(Role.VIEWER))
    assert uploads_written(tiny_data_dir) == []


def test_an_analyst_commits_and_the_ledger_names_their_email_and_a_viewer_cannot_undo(tiny_data_dir):
    checked, store = checked_upload(tiny_data_dir)
    analyst = person(Role.ANALYST, email="avery@example.org")
    result = uploads.commit(checked, GOOD_FILE, store, committed_by=analyst)
    with pytest.raises(PermissionDenied, match="may not undo"):
        uploads.undo(tiny_data_dir, result.batch_id, person(Role.VIEWER))
    assert ledger.batches(tiny_data_dir).iloc[0]["status"] == "committed"
    uploads.undo(tiny_data_dir, result.batch_id, person(Role.ADMIN, email="lee@example.org"))
    batch = ledger.batches(tiny_data_dir).iloc[0]
    assert (batch["committed_by"], batch["status"], batch["undone_by"]) == (
        "avery@example.org",
        "undone",
        "lee@example.org",
    )


def test_the_command_line_commits_as_the_operator(tiny_data_dir):
    checked, store = checked_upload(tiny_data_dir)
    uploads.commit(checked, GOOD_FILE, store)
    assert ledger.batches(tiny_data_dir).iloc[0]["committed_by"] == roles.operator_identity().name
