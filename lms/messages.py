"""Messages written by pure modules (no Flask), shown later in the reader's language.

`N_("Tệp có hơn %(n)s dòng.", n=…)` is the Vietnamese text itself (a str, so it compares,
prints and logs as before) that also keeps its template and values; `pybabel extract -k N_`
puts the template in the catalogue, and `localized` renders it with the request's language.
"""


class Text(str):
    """Vietnamese text that remembers how it was made."""

    template: str
    params: dict

    def __new__(cls, template: str, **params) -> "Text":
        text = super().__new__(cls, template % params if params else template)
        text.template, text.params = template, params
        return text


def N_(template: str, **params) -> Text:
    """The name `pybabel extract -k N_` looks for."""
    return Text(template, **params)


def localized(message: str) -> str:
    """`message` in the current language when it is a Text; any other string as it is."""
    if not isinstance(message, Text):
        return message
    from flask_babel import gettext

    return gettext(message.template, **message.params)
