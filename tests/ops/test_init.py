"""`pustaka init` without a usable first admin password stops with a message that names the setting."""

from __future__ import annotations

import json

from tests.ops.support import cli


def test_init_needs_the_first_admins_password_from_a_secret(tmp_path):
    folder = tmp_path / "data"
    missing = cli(folder, "init", "--json")
    assert missing.returncode == 2
    assert json.loads(missing.stdout)["error"]["message"].startswith(
        "there is no admin yet: set PUSTAKA_ADMIN_PASSWORD, or PUSTAKA_ADMIN_PASSWORD_FILE"
    )
    short = cli(folder, "init", "--json", PUSTAKA_ADMIN_PASSWORD="pendek")
    assert json.loads(short.stdout)["error"]["code"] == "password_too_short"
    absent = cli(folder, "init", "--json", PUSTAKA_ADMIN_PASSWORD_FILE=str(tmp_path / "tidak-ada"))
    assert "PUSTAKA_ADMIN_PASSWORD_FILE=" in json.loads(absent.stdout)["error"]["message"]
    secret = tmp_path / "admin_password"
    secret.write_text("rahasia-pertama\n")
    done = cli(folder, "init", "--json", PUSTAKA_ADMIN_PASSWORD_FILE=str(secret))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["libraries"] == 38 and report["admin_created"] is True and report["admin"] == "admin"
    again = json.loads(cli(folder, "init", "--json").stdout)
    assert again["admin_created"] is False and again["migrations_applied"] == []
