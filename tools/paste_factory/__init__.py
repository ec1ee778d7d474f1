"""The paste factory: real clients against a fake Fireworks API, captured as labelled pastes.

`fake_fireworks` is the fake API (aiohttp only, tested in CI); `scenarios` lists what it
answers; `generate` drives the installed clients and writes `tests/corpus/clients/*.jsonl`.
"""
