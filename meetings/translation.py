from modeltranslation.translator import TranslationOptions, register

from meetings.models import AgendaChange, AgendaItem, Meeting, MeetingVersion

# What a coordinator writes for a meeting can be given in Finnish and Swedish; the reader (and an
# e-mail's recipient) sees their language, the other as fallback (settings.MODELTRANSLATION_FALLBACK_LANGUAGES).
# modeltranslation imports this module for every installed app (its autodiscovery).


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "description")


# What an update tells ("the title was … and is now …", "the item … was renamed") is kept in every
# language, so that each invitee reads both the old and the new text in their own.
@register(MeetingVersion)
class MeetingVersionTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(AgendaChange)
class AgendaChangeTranslationOptions(TranslationOptions):
    fields = ("title", "old_title")
