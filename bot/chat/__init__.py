"""The Telegram surface: application, keyboards, callback-data codec, thin handlers."""
