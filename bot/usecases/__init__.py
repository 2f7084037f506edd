"""Use cases: what the bot does for a chat, without Telegram. Handlers call one each."""
