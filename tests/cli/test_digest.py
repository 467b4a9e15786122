"""The digest and the alerts as received by a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import ssl
import subprocess
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from analytics.cli.main import main
from analytics.reports.fired import record_path
from tests.conftest import ROOT

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")

PASSWORD = "s3cret-pa55word"


class Collect:
    def __init__(self) -> None:
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        self.messages.append(
            {
                "from": envelope.mail_from,
                "rcpt": list(envelope.rcpt_tos),
                "tls": session.ssl is not None,
                "message": message_from_bytes(envelope.original_content or envelope.content, policy=policy.default),
            }
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch, tmp_path):
    """A plain SMTP server on loopback, and the settings that send to it."""
    handler, port = Collect(), free_port()
    controller = aiosmtpd_controller.Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in {
        "AFFILIATE_SMTP_HOST": "127.0.0.1",
        "AFFILIATE_SMTP_PORT": str(port),
        "AFFILIATE_SMTP_STARTTLS": "false",
        "AFFILIATE_SMTP_FROM": "insights@example.test",
        "AFFILIATE_APP_URL": "https://insights.example.test",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml of the developer's is read
    yield handler
    controller.stop()


@pytest.fixture
def bundled(bundled_data_dir, monkeypatch):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(bundled_data_dir))
    return bundled_data_dir


def test_the_digest_arrives_with_subject_both_parts_inline_images_and_recipients(smtp, bundled, capsys):
    code = main(
        [
            "digest",
            "--since",
            "2026-10-31",
            "--as-of",
            "2026-11-30",
            "--to",
            "board@example.test",
            "--to",
            "ceo@example.test",
        ]
    )
    assert code == 0, capsys.readouterr()
    [received] = smtp.messages
    assert received["rcpt"] == ["board@example.test", "ceo@example.test"]
    assert received["from"] == "insights@example.test"
    message = received["message"]
    assert message["Subject"] == (
        "ICMA Affiliate Insights: what changed 2026-10-31 to 2026-11-30 (All affiliates in every region)"
    )
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
        "image/png",
    ]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "goals whose status changed" in part.lower() and "Florida City and County Management Association" in part
    assert "<script" not in html.lower()
    assert 'href="https://insights.example.test/goals?goals_subject=One+goal&amp;goals_goal=' in html
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    for image in images:
        cid = image["Content-ID"].strip("<>")
        assert image.get_content_disposition() == "inline"
        assert f'src="cid:{cid}"' in html
        assert image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    # nothing in the HTML is fetched from anywhere: only cid: images, no stylesheet or script from a URL
    assert 'src="http' not in html and "<link" not in html


def test_nothing_is_sent_when_nothing_changed_unless_asked(smtp, tiny_data_dir, monkeypatch, capsys):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    window = ["--since", "2017-01-31", "--as-of", "2017-02-28", "--to", "board@example.test", "--no-charts"]
    assert main(["digest", *window]) == 0
    assert smtp.messages == []
    assert "nothing changed" in capsys.readouterr().out
    assert main(["digest", *window, "--send-empty"]) == 0
    assert len(smtp.messages) == 1
    assert "No goal changed status." in smtp.messages[0]["message"].get_body(("plain",)).get_content()


def test_scoped_digests_go_to_the_people_of_each_region(smtp, bundled, tmp_path, capsys):
    people = tmp_path / "people.csv"
    people.write_text("email,regions\nse@example.test,Southeast\nintl@example.test,International\n", encoding="utf-8")
    args = ["digest", "--since", "2026-08-31", "--as-of", "2026-11-30", "--recipients", str(people), "--no-charts"]
    assert main(args) == 0, capsys.readouterr()
    by_recipient = {received["rcpt"][0]: received["message"] for received in smtp.messages}
    assert set(by_recipient) == {"se@example.test", "intl@example.test"}
    southeast = by_recipient["se@example.test"].get_body(("plain",)).get_content()
    international = by_recipient["intl@example.test"].get_body(("plain",)).get_content()
    assert "in Southeast" in by_recipient["se@example.test"]["Subject"]
    assert "Georgia City-County Management Association" in southeast  # entered its renewal window
    assert "Georgia City-County Management Association" not in international
    assert "Institute for Local Government Management of South Africa" in international


def test_the_password_is_never_printed(smtp, bundled, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("AFFILIATE_SMTP_USER", "insights")
    monkeypatch.setenv("AFFILIATE_SMTP_PASSWORD", PASSWORD)
    # the plain loopback server offers no sign-in: the command fails, and says so without the password
    code = main(["digest", "--since", "2026-10-31", "--as-of", "2026-11-30", "--to", "a@example.test", "--no-charts"])
    printed = capsys.readouterr()
    assert code == 1
    assert "not sent" in printed.err
    assert PASSWORD not in printed.out + printed.err


def test_the_digest_is_written_to_a_file_as_a_whole_message(bundled, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "digest.eml"
    assert main(["digest", "--since", "2026-10-31", "--as-of", "2026-11-30", "--out", str(out), "--no-charts"]) == 0
    message = message_from_bytes(out.read_bytes(), policy=policy.default)
    assert "AGREEMENTS" in message.get_body(("plain",)).get_content()


def test_alerts_are_sent_once_per_occurrence(smtp, bundled, capsys):
    args = ["alerts", "--since", "2026-08-31", "--as-of", "2026-11-30", "--to", "board@example.test"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert "goal_off_track" in first and "renewal_window" in first
    assert len(smtp.messages) == 1
    body = smtp.messages[0]["message"].get_body(("plain",)).get_content()
    assert "Georgia City-County Management Association" in body
    record = record_path(bundled).read_text(encoding="utf-8")
    assert '"recorded_at": "20' in record and "+00:00" in record  # UTC-aware timestamps
    # the same window again, and an overlapping one: nothing new, nothing sent
    assert main(args) == 0
    assert main(["alerts", "--since", "2026-09-30", "--as-of", "2026-11-30", "--to", "board@example.test"]) == 0
    assert "0 new alert(s)" in capsys.readouterr().out
    assert len(smtp.messages) == 1


def test_a_dry_run_lists_alerts_without_recording_them(bundled, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert main(["alerts", "--since", "2026-08-31", "--as-of", "2026-11-30", "--dry-run"]) == 0
    assert "new alert(s)" in capsys.readouterr().out
    assert not record_path(bundled).exists()


def test_alert_rules_come_from_the_rules_file(bundled, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nkind = "membership_drop"\npercent = 0.5\n', encoding="utf-8")
    monkeypatch.setenv("AFFILIATE_ALERT_RULES_FILE", str(rules))
    assert main(["alerts", "--since", "2026-10-31", "--as-of", "2026-11-30", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "membership_drop" in out and "goal_off_track" not in out


def test_an_uploaded_check_in_shows_in_the_digest_and_its_upload_in_the_ledger_part(
    smtp, tiny_data_dir, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    today = dt.date.today()
    since, reported_on = today - dt.timedelta(days=30), today - dt.timedelta(days=5)
    checkins = tmp_path / "checkins.csv"
    # G0002 (tiny data: 0 to 12 ethics trainings) reaches its target in the window
    checkins.write_text(
        "checkin_id,goal_id,reported_on,value,narrative,reported_by\n"
        f"C900001,G0002,{reported_on},12,<b>Target</b> reached & celebrated,Test Analyst\n",
        encoding="utf-8",
    )
    assert main(["ingest", str(checkins), "--kind", "goal_checkins", "--by", "tester"]) == 0, capsys.readouterr()
    window = ["--since", f"{since}", "--as-of", f"{today}", "--to", "b@example.test", "--no-charts"]
    assert main(["digest", *window]) == 0
    message = smtp.messages[-1]["message"]
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "&lt;b&gt;Target&lt;/b&gt; reached &amp; celebrated" in html and "<b>Target</b>" not in html
    assert "Hold ethics trainings" in text and "target 12 events reached on" in text
    assert "checkins.csv" in text and "upload" in text


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")
def test_the_digest_goes_over_starttls_and_signs_in(bundled, monkeypatch, tmp_path, capsys):
    cert, key = self_signed(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    handler, port = Collect(), free_port()

    def authenticate(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        return AuthResult(success=auth_data.login == b"insights" and auth_data.password == PASSWORD.encode())

    controller = aiosmtpd_controller.Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_context,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    )
    controller.start()
    try:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test certificate
        for name, value in {
            "AFFILIATE_SMTP_HOST": "127.0.0.1",
            "AFFILIATE_SMTP_PORT": str(port),
            "AFFILIATE_SMTP_USER": "insights",
            "AFFILIATE_SMTP_PASSWORD": PASSWORD,
        }.items():
            monkeypatch.setenv(name, value)
        code = main(
            ["digest", "--since", "2026-10-31", "--as-of", "2026-11-30", "--to", "a@example.test", "--no-charts"]
        )
        printed = capsys.readouterr()
    finally:
        controller.stop()
    assert code == 0, printed
    assert handler.messages[0]["tls"] and handler.messages[0]["from"] == "insights"
    assert PASSWORD not in printed.out + printed.err


def test_the_cli_is_documented_with_its_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("python -m analytics digest", "python -m analytics alerts", "python -m analytics briefing"):
        assert command in readme
