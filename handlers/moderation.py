"""review = "before_forward": a moderator's tap on "Confirm & forward" releases a held report.

(The full moderation workflow — queues, reclassify, merge, reject — is a later capability.)
"""

from __future__ import annotations

import logging
from html import escape

from telegram import Message, Update
from telegram.constants import ParseMode

from handlers import callback_data
from handlers.callbacks import answer
from handlers.context import HarmlineContext
from handlers.language import user_language
from reports.intake import Outcome

log = logging.getLogger(__name__)


async def on_moderator_confirm(update: Update, context: HarmlineContext,
                               action: callback_data.ModeratorConfirm) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    result = await context.services.intake.confirm(update.update_id, user.id, action.reference)
    _ = context.gettext(await user_language(update, context))
    if result.outcome is Outcome.DUPLICATE:
        return
    if result.outcome is Outcome.REFUSED:
        log.warning("user %d is not a moderator for %s; refused", user.id, action.reference)
        await answer(query, _("Only moderators of this report's country can do this."), alert=True)
        return
    if result.outcome is Outcome.STALE:
        await answer(query, _("This report was already decided."), alert=True)
        return
    await answer(query)
    message = query.message
    if isinstance(message, Message) and message.text:
        # The buttons give way to the decision, so nobody decides the same report twice.
        await query.edit_message_text(
            message.text_html + "\n\n✅ " + escape(_("Confirmed and forwarded by {moderator}.").format(
                moderator=user.full_name)),
            parse_mode=ParseMode.HTML)
