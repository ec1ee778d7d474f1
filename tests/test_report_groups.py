"""The report groups unknown pastes by their error line and shows it (issue 19).

It grouped by a paste's first 300 characters, so a traceback's prose and frames hid the error
line, and two people with the same 409 landed in two groups.
"""

from __future__ import annotations

from bot.report import Report, format_report, group_rows
from tests.core.test_error_line import NODE_429

CONFLICT = (
    "openai.ConflictError: Error code: 409 - {'error': {'message': 'Deployment update in "
    "progress'}}"
)


def _row(excerpt: str, at: float) -> dict:
    return {
        "excerpt": excerpt,
        "created_at": at,
        "jump_url": f"https://discord.com/channels/1/2/{int(at)}",
        "entry": None,
    }


def test_two_people_with_the_same_409_share_a_group_shown_by_its_error_line() -> None:
    first = (
        "hey all, our nightly job that redeploys the fine-tuned model started failing today, "
        "no idea why, here's the whole output:\n"
        "Traceback (most recent call last):\n"
        '  File "/srv/jobs/redeploy.py", line 88, in <module>\n'
        "    client.deployments.update(name, config)\n" + CONFLICT
    )
    second = (
        "Getting this since the morning when I push a new config from our CI pipeline, any "
        "ideas what it means? Retrying doesn't change anything.\n"
        "Traceback (most recent call last):\n"
        '  File "/home/ci/deploy/main.py", line 12, in run\n'
        "    await api.update_deployment(dep_id, body)\n" + CONFLICT
    )
    other = NODE_429
    groups = group_rows([_row(first, 1.0), _row(second, 2.0), _row(other, 3.0)], "unknown")
    assert [g.count for g in groups] == [2, 1]
    assert groups[0].error_line == CONFLICT
    assert groups[1].error_line == "Error: 429 Too Many Requests"
    assert groups[0].to_json()["error_line"] == CONFLICT


def test_the_text_report_shows_each_groups_error_line() -> None:
    groups = group_rows([_row(NODE_429, 1.0)], "unknown")
    report = Report(
        0.0,
        1.0,
        {"unknown": groups, "no_match": [], "not_helpful": [], "low_confidence": []},
        [],
        [],
    )
    text = format_report(report)
    assert "x1  Error: 429 Too Many Requests" in text
    assert "at APIError" not in text
