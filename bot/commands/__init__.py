"""The CLI's commands, one module each; `bot.cli` parses arguments and wires them."""
