"""Which language to answer a user in, and the /language picker."""

from __future__ import annotations

from telegram import Update

from harmline.handlers import callback_data
from harmline.handlers.callbacks import answer, edit_or_send
from harmline.handlers.context import HarmlineContext
from harmline.handlers.keyboards import language_keyboard
from harmline.i18n import LANGUAGES
from harmline.services.intake import reply_language


async def user_language(update: Update, context: HarmlineContext) -> str:
    """The citizen's /language choice; else, as for their reports, the language their latest
    report was written in when it was detected confidently; else Telegram's language_code."""
    user = update.effective_user
    if user is None:
        return reply_language(None, None, None)
    reports = context.services.reports
    reporter = await reports.reporter(user.id)
    if reporter is None or reporter.language:
        return reply_language(reporter.language if reporter else None, user.language_code, None)
    latest = await reports.of_reporter(user.id, limit=1)
    if not latest:
        return reply_language(None, user.language_code, None)
    return reply_language(None, user.language_code, latest[0].detected_language, latest[0].language_confidence or 0.0)


async def on_language_command(update: Update, context: HarmlineContext) -> None:
    if update.effective_message is None:
        return
    _ = context.gettext(await user_language(update, context))
    await update.effective_message.reply_text(
        _("Choose your language:"), reply_markup=language_keyboard(context.services.catalogs.available))


async def on_language_chosen(update: Update, context: HarmlineContext, action: callback_data.ChooseLanguage) -> None:
    query = update.callback_query
    if query is None or update.effective_user is None:
        return
    if action.language not in LANGUAGES:
        await answer(query)
        return
    await context.services.intake.set_language(update.effective_user.id, action.language)
    _ = context.gettext(action.language)
    await answer(query)
    await edit_or_send(context, query, _("Language set: {language}.").format(language=LANGUAGES[action.language]))
