"""Block Kit and one-line texts, built by pure functions from views (tested as plain dicts)."""

from bot.rendering.card import card_blocks, card_for, card_text
from bot.rendering.replies import Reply

__all__ = ["Reply", "card_blocks", "card_for", "card_text"]
