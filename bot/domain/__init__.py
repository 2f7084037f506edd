"""Pure domain code: no Telegram, no database, no HTTP, no clock.

Everything here receives values (text, `now`, a gazetteer) and returns values.
"""
