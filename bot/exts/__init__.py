"""One module per Discord feature; `FwerrorBot.setup_hook` loads every module in here."""
