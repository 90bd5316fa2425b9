"""`inquirybot shell --demo` lists each thing the shell can do once, as a command that works on the
demo's data; played in order (answering the forms it opens), each shows what it promises."""

from __future__ import annotations

from inquirybot.shell.demo import TOUR
from tests.test_shell import run_shell

# What to type into the form a tour line opens (None: the line opens no form).
ANSWERS: dict[str, tuple[str, ...]] = {
    ":click Post update": ("Finance is checking the invoice", "Wednesday 3pm"),
    "/inquiry": ("email", "Booth refund question", "", "", "", "", "", "", "", ""),
    ":shortcut": (":cancel",),
}
# Something each tour line shows, in the order played.
SHOWS: dict[str, str] = {
    "/inquiry list": "Your open inquiries:",
    "/inquiry show INQ-9": "INQ-9: Invoice dispute for trade show booth",
    ":click Post update": "[form sent: Update INQ-9]",
    "/inquiry link INQ-9": "Customer feedback link for INQ-9",
    ":open": "How satisfied are you with our service?",
    ":rate 5 Clear and quick, thank you": "A customer rated INQ-9: 5 out of 5, very satisfied.",
    "/inquiry": "Logged INQ-11 for you",
    ":say #trade-team Hi @dan, any news on the sanctions check?": "#trade-team (in thread)",
    ":shortcut": "[form: Log an inquiry]",
    ":home": "[App Home of @alice]",
    ":time in 2 days": "the time is now Wed 25 Nov 2026 14:00 EST",
    ":as carol": "you are now @carol",
    "/inquiry report team": "== Inquiry report",
}


def test_the_demo_tour_names_each_feature_once_and_each_works():
    lines: list[str] = []
    for command, _ in TOUR:
        lines += [command, *ANSWERS.get(command, ())]
    result = run_shell(*lines, args=("--demo",))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    intro, session = out.split("inquirybot shell —", 1)
    assert "@dan is away until Thu 26 Nov 2026 09:00 EST (@alice covers)" in intro
    named = [line[2:61].rstrip() for line in intro.splitlines() if line.startswith("  ")]
    assert named == [command for command, _ in TOUR]  # each named once, in order
    features = {":say", ":shortcut", ":click Post update", ":time", ":home", ":as", ":open", ":rate"}
    assert all(any(c.startswith(f) for c, _ in TOUR) for f in features)
    assert ("/inquiry", "the new-inquiry form (/inquiry alone)") in TOUR
    rest = session
    for command, _ in TOUR:
        rest = rest.split(f"> {command}\n", 1)[1]
        shown = SHOWS[command]
        assert shown in rest, (command, rest[:1500])
    thread = session.split("any news on the sanctions check?\n", 2)[2]
    assert "@dan is away until Thu 26 Nov 2026" in thread and "please contact @alice" in thread
