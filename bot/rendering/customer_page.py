"""The customer's feedback page as HTML: plain, no JavaScript, readable on a phone, WCAG 2.0 AA
(checked with axe-core in tests/browser). Every value from outside goes through html.escape.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from html import escape

from bot.customer_feedback.form import MAX_COMMENT, SCORES, FormProblem
from bot.time.instants import long_date

SCORE_WORDS = {
    1: "Very dissatisfied",
    2: "Dissatisfied",
    3: "Neither satisfied nor dissatisfied",
    4: "Satisfied",
    5: "Very satisfied",
}

# Colours at least 4.5:1 against their background (text) and 3:1 (focus ring, borders). The focus
# ring sits 2px off its control, on the white page, so it is measured against white (#c05600: 4.6:1;
# an amber #e5a000 there is 2.2:1, too faint for WCAG 2.1's 1.4.11).
STYLE = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1.125rem;
line-height:1.5;color:#1b1b1b;background:#fff}
header,main,footer{max-width:40rem;margin:0 auto;padding:1rem}
header{border-bottom:4px solid #005ea2}
.office{margin:0;font-weight:700;font-size:1.25rem}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
fieldset{border:0;margin:0 0 1.5rem;padding:0}
legend{font-weight:700;margin-bottom:.5rem;padding:0}
.choice{display:flex;align-items:center;gap:.75rem;margin:.25rem 0;padding:.5rem;border:1px solid #757575;border-radius:4px}
.choice input{width:1.5rem;height:1.5rem;margin:0;flex:none}
.choice label{flex:1;cursor:pointer}
label[for=comment]{display:block;font-weight:700}
textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #757575;border-radius:4px}
.hint{margin:.25rem 0 .5rem;color:#454545}
.error{color:#b50909;font-weight:700;margin:.25rem 0}
.summary{border:3px solid #b50909;padding:.75rem 1rem;margin:0 0 1.5rem}
.summary h2{font-size:1.25rem;margin:0 0 .5rem}
.summary a{color:#b50909}
button{font:inherit;font-weight:700;color:#fff;background:#005ea2;border:0;border-radius:4px;padding:.75rem 1.5rem;
cursor:pointer;min-height:44px}
button:hover{background:#1a4480}
a{color:#005ea2}
:focus{outline:3px solid #c05600;outline-offset:2px}
footer{color:#454545;font-size:1rem}
""".strip()
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
# No script at all; the one inline style is allowed by its hash; forms post only back here.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src '{STYLE_HASH}'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def _document(title: str, office: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="same-origin">\n'
        f"<title>{escape(title)}, {escape(office)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<header><p class="office">{escape(office)}</p></header>\n<main>\n{body}\n</main>\n'
        "<footer><p>This page records only your rating and your comment, for the office's own review of "
        "its service.</p></footer>\n</body>\n</html>\n"
    )


def _day(when: datetime | None) -> str:
    return "" if when is None else long_date(when)


def problem_text(problem: FormProblem) -> str:
    if problem.field == "rating":
        return (
            "Choose a rating from 1 to 5."
            if problem.code == "missing"
            else "Choose one of the five ratings, from 1 to 5."
        )
    if problem.code == "too_long":
        return (
            f"Your comment is {problem.detail} characters long; shorten it to {MAX_COMMENT} characters "
            "or fewer."
        )
    return "Send one comment."


def form_page(
    *,
    office: str,
    ref: str,
    csrf: str,
    rated: int | None = None,
    chosen: str = "",
    comment: str = "",
    problems: tuple[FormProblem, ...] = (),
    resend: bool = False,
) -> str:
    """resend: the form came back without its security cookie; what was typed is kept below."""
    errors = {p.field: problem_text(p) for p in problems}
    parts = [f"<h1>How did we do?</h1>\n<p>You are rating how we handled your inquiry {escape(ref)}.</p>"]
    if resend:
        parts.append(
            '<div class="summary" role="alert" aria-labelledby="resend-title">'
            '<h2 id="resend-title">Please send the form again</h2>'
            "<p>For your security the rating must be sent from this page with cookies allowed for this "
            "site. Nothing was recorded yet; your answers are kept below.</p></div>"
        )
    if rated is not None:
        parts.append(
            f"<p>You rated it {rated}, {escape(SCORE_WORDS[rated].lower())}. Sending the form again "
            "replaces that rating.</p>"
        )
    if errors:
        items = "".join(
            f'<li><a href="#{"rating-5" if field == "rating" else "comment"}">{escape(text)}</a></li>'
            for field, text in errors.items()
        )
        parts.append(
            f'<div class="summary" role="alert" aria-labelledby="summary-title">'
            f'<h2 id="summary-title">Please correct this</h2><ul>{items}</ul></div>'
        )
    described = ' aria-describedby="rating-error"' if "rating" in errors else ""
    # aria-invalid on the controls themselves: screen readers do not all read a fieldset's
    # description, but each announces a radio or a text box marked invalid.
    invalid = ' aria-invalid="true" aria-describedby="rating-error"' if "rating" in errors else ""
    choices = []
    for score in reversed(SCORES):
        checked = " checked" if chosen == str(score) else ""
        choices.append(
            f'<div class="choice"><input type="radio" id="rating-{score}" name="rating" value="{score}"'
            f"{checked}{invalid}>"
            f'<label for="rating-{score}">{score} — {escape(SCORE_WORDS[score])}</label></div>'
        )
    rating_error = (
        f'<p id="rating-error" class="error">Error: {escape(errors["rating"])}</p>'
        if "rating" in errors
        else ""
    )
    comment_error = (
        f'<p id="comment-error" class="error">Error: {escape(errors["comment"])}</p>'
        if "comment" in errors
        else ""
    )
    comment_described = "comment-hint comment-error" if comment_error else "comment-hint"
    comment_invalid = ' aria-invalid="true"' if comment_error else ""
    parts.append(
        '<form method="post">\n'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">\n'
        f"<fieldset{described}>\n<legend>How satisfied are you with our service? (required)</legend>\n"
        f"{rating_error}{''.join(choices)}\n</fieldset>\n"
        f'<label for="comment">Comment (optional)</label>\n'
        f'<p id="comment-hint" class="hint">Up to {MAX_COMMENT} characters. Please leave out personal details '
        "such as account numbers.</p>\n"
        f'{comment_error}<textarea id="comment" name="comment" rows="5" maxlength="{MAX_COMMENT}" '
        f'aria-describedby="{comment_described}"{comment_invalid}>{escape(comment)}</textarea>\n'
        '<p><button type="submit">Send my rating</button></p>\n</form>'
    )
    title = (
        "Please correct your rating"
        if errors
        else "Please send the form again"
        if resend
        else "Rate our service"
    )
    title += f", {ref}"
    return _document(title, office, "\n".join(parts))


def thanks_page(*, office: str, ref: str, score: int, expires_at: datetime | None, page_path: str) -> str:
    until = f"until {_day(expires_at)}" if expires_at else "until 30 days after your inquiry is resolved"
    body = (
        "<h1>Thank you</h1>\n"
        f"<p>Your rating for inquiry {escape(ref)} is recorded: {score} out of 5, "
        f"{escape(SCORE_WORDS[score].lower())}.</p>\n"
        f'<p>You can change it {escape(until)}: <a href="{escape(page_path)}">rate inquiry {escape(ref)} '
        "again</a>.</p>"
    )
    return _document(f"Thank you, {ref}", office, body)


def expired_page(*, office: str, ref: str, closed: bool = False) -> str:
    """No more ratings: 30 days after resolution; or the item was closed without a resolution of its
    own, which the page says instead of a resolution that never happened."""
    if closed:
        body = (
            "<h1>This inquiry takes no rating</h1>\n"
            f"<p>Inquiry {escape(ref)} was closed without a resolution of its own: it duplicated "
            "another inquiry, or it was withdrawn. Nothing was recorded. If you were sent a link for "
            "the other inquiry, please rate the service there.</p>"
        )
        return _document(f"No rating taken, {ref}", office, body)
    body = (
        "<h1>This feedback link has expired</h1>\n"
        f"<p>Ratings for inquiry {escape(ref)} were taken until 30 days after it was resolved. "
        "Thank you for your interest.</p>"
    )
    return _document(f"Link expired, {ref}", office, body)


def try_again_page(*, office: str, ref: str, page_path: str) -> str:
    body = (
        "<h1>Please send the form again</h1>\n"
        "<p>For your security the rating must be sent from the form on this site, with cookies allowed for it. "
        f'Nothing was recorded. <a href="{escape(page_path)}">Open the form for inquiry {escape(ref)}</a> '
        "and send it again.</p>"
    )
    return _document(f"Please try again, {ref}", office, body)


def slow_down_page(*, seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    body = (
        "<h1>Too many attempts</h1>\n"
        f"<p>Nothing was recorded. Please wait {minutes} minute{'s' if minutes != 1 else ''} and try again.</p>"
    )
    return _document("Too many attempts", "Customer feedback", body)


# The page's one-line plain-text answers (handlers/feedback_page.py sends them with a 4xx or 503).
NOT_FOUND = "Not found\n"
TRY_AGAIN = "Please try again in a moment.\n"
WRONG_METHOD = "Use GET to see the form and POST to send it.\n"
FORM_EMPTY = "The form was empty; nothing was recorded.\n"
FORM_UNREADABLE = "The form could not be read; nothing was recorded.\n"


def wrong_form_type(form_type: str) -> str:
    return f"Send the form as {form_type}; nothing was recorded.\n"


def form_too_large(limit: int) -> str:
    return f"The form is larger than {limit} bytes; nothing was recorded.\n"
