"""`inquirybot report --team T --chart FILE.png`: the report as usual, and the chart as a file."""

from __future__ import annotations

from tests.reports.test_report_cli import cli  # noqa: F401 - the fixture

PNG = b"\x89PNG\r\n\x1a\n"


def test_chart_is_written_as_a_png_and_its_figures_are_said(cli, tmp_path):  # noqa: F811
    path = tmp_path / "support.png"
    code, out, err = cli("--team", "support", "--period", "last week", "--chart", str(path))
    assert code == 0 and out.startswith("Inquiry report: Team support")
    data = path.read_bytes()
    assert data.startswith(PNG) and 10_000 < len(data) < 400_000
    assert err.startswith(f"chart written to {path} (") and "week 46 50% on time, 2 of 4" in err
    assert "UBOB 50% on time, 1 of 2" in err


def test_chart_needs_a_team_and_a_writable_path(cli, tmp_path):  # noqa: F811
    code, out, err = cli("--chart", str(tmp_path / "x.png"))
    assert (code, out) == (2, "") and "--chart draws a team's chart; add --team NAME" in err
    code, out, err = cli("--team", "support", "--chart", str(tmp_path / "missing" / "x.png"))
    assert code == 2 and "cannot write it" in err and err.count("\n") == 1
    assert not (tmp_path / "missing").exists()
