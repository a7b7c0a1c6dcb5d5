"""Every inline button press arrives here and is dispatched on its parsed data."""

from __future__ import annotations

import logging

from telegram import Update

from harmline.handlers import callback_data
from harmline.handlers.callbacks import answer
from harmline.handlers.check import on_check_report
from harmline.handlers.citizen import on_erase_confirmed, on_privacy
from harmline.handlers.context import HarmlineContext
from harmline.handlers.language import on_language_chosen, user_language
from harmline.handlers.moderation import on_find_page, on_moderator_button, on_queue_page
from harmline.handlers.reporting import show_next
from harmline.reports.model import ReportStatus
from harmline.services.intake import IntakeResult, Outcome

log = logging.getLogger(__name__)


async def on_button(update: Update, context: HarmlineContext) -> None:
    query = update.callback_query
    if query is None or update.effective_user is None:
        return
    action = callback_data.parse(query.data)
    if action is None:
        log.warning("unknown or forged button data %r from user %d", query.data and query.data[:80],
                    update.effective_user.id)
        _ = context.gettext(await user_language(update, context))
        await answer(query, _("This button is no longer valid."))
        return
    if isinstance(action, callback_data.ChooseLanguage):
        await on_language_chosen(update, context, action)
    elif isinstance(action, callback_data.ConfirmErase):
        await on_erase_confirmed(update, context, action)
    elif isinstance(action, callback_data.ModeratorAction):
        await on_moderator_button(update, context, action)
    elif isinstance(action, callback_data.QueuePage):
        await on_queue_page(update, context, action)
    elif isinstance(action, callback_data.FindPage):
        await on_find_page(update, context, action)
    elif isinstance(action, callback_data.CheckReport):
        await on_check_report(update, context, action)
    elif isinstance(action, callback_data.ShowPrivacy):
        await answer(query)
        await on_privacy(update, context)
    else:
        await _on_followup(update, context, action)


async def _on_followup(update: Update, context: HarmlineContext,
                       action: callback_data.FollowUpAnswer | callback_data.SendNow
                       | callback_data.ChooseForwarding) -> None:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    intake = context.services.intake
    result: IntakeResult
    if isinstance(action, callback_data.SendNow):
        result = await intake.send_now(update.update_id, user.id, action.reference)
    elif isinstance(action, callback_data.ChooseForwarding):
        result = await intake.choose_forwarding(update.update_id, user.id, action.reference, action.forward)
    else:
        result = await intake.answer(update.update_id, user.id, action.reference, action.step, action.value)
    # A press handled before (replayed after a crash): answered as the first time; the message
    # with the questions is brought up to date, which changes nothing if it already was.
    outcome = result.first if result.outcome is Outcome.DUPLICATE else result.outcome
    if outcome is None:
        return
    if outcome is Outcome.STALE:
        _ = context.gettext(result.language)
        if result.report is not None and result.report.status is ReportStatus.COLLECTING:
            await answer(query, _("This question was already answered."))
        else:
            await answer(query, _("This report has already been sent; its questions are closed."))
        return
    await answer(query)
    await show_next(context, result)
