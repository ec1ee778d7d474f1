"""What the core's tests share: the shipped knowledge, loaded once per test module (each
module gets its own, as it did when each wrote this fixture itself)."""

import pytest

from bot.core.model import Knowledge
from bot.knowledge.load import load_knowledge


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()
