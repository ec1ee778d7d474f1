"""An error said of Fireworks (issue 18): a line the person wrote that names Fireworks and the
word for an error reports a failure in any language, with no verb of failure and no word of
persistence. The words are GTK's translations of "Error" and loanwords (`error_nouns` in
`knowledge/signals/prose.yaml`); none of these sentences is in the corpus. Beside them, the
sentences the rule must leave alone: errors counted none, errors as a subject, the noun as a
name in code or in a link.
"""

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from tests.core.labels import verdict_label

REPORTS = [
    "Fireworks geeft me een fout bij elke chat, iemand een idee?",  # nl
    "fireworks z mojej aplikacji daje błąd, nie wiem czemu",  # pl
    "fireworks bana hata veriyor kardeşim",  # tr
    "fireworks gọi là lỗi luôn, ai biết không",  # vi
    "Fireworks virhe tulee joka kerta kun kutsun",  # fi
    "fireworks dă eroare la mine",  # ro
    "фаерворкс выдаёт ошибку на каждый запрос",  # ru, Fireworks in Cyrillic
    "파이어웍스에서 오류 나요",  # ko, Fireworks in Hangul
    "fireworks sigue dando error en mi bot",  # es
    # the noun inflected: a stem in Cyrillic, a Latin stem with its endings
    "fireworks видає помилку на кожен запит",  # uk
    "fireworks rzuca błędami przy dłuższych promptach",  # pl
    "a fireworks hibát dob minden kérésre",  # hu
    "Fireworks liefert nur eine Fehlermeldung zurück",  # de
    "fireworks antaa virheen joka kerta",  # fi
    # "Failed" as APT's translators wrote it (`failing`), with Fireworks named
    "fireworks API çağr\u0131s\u0131 başar\u0131s\u0131z oldu",  # tr
    "la llamada a fireworks falló otra vez",  # es
    "de fireworks-aanroep is mislukt",  # nl
    "Fireworks-Anfrage fehlgeschlagen, keine Ahnung warum",  # de
]


@pytest.mark.parametrize("text", REPORTS)
def test_an_error_said_of_fireworks_is_a_report(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"
    decision = diagnose(text, knowledge, "passive")
    assert decision.action == "escalate" and decision.evidence


MENTIONS = [
    "ran 2k requests through fireworks last night, 0 errors",  # counted none
    "fireworks sin errores desde la migración, genial",
    "our grafana board tracks fireworks error rates per model",  # errors as the subject
    "I'm writing the fireworks error handling for our SDK wrapper",
    "gestion des erreurs fireworks: on log tout dans sentry",
    "fireworks hata kodu listesi nerede",
    "mock = {error: 'boom'}  // fireworks stub for the unit test",  # a name in code
    "the fireworks page https://example.com/fireworks/error-guide is handy",  # a link
]


@pytest.mark.parametrize("text", MENTIONS)
def test_errors_talked_about_are_not_reports(text: str, knowledge: Knowledge) -> None:
    assert diagnose(text, knowledge, "passive").action == "ignore"


def test_an_error_without_fireworks_named_is_left_alone(knowledge: Knowledge) -> None:
    """The noun alone says nothing about Fireworks: "error" in any chat is not a report."""
    assert diagnose("ugh, error again in my build", knowledge, "passive").action == "ignore"
