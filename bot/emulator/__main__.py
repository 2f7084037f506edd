"""`python -m bot.emulator --port N --token T`: serve the Bot API and the control API."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from bot.emulator.emulator import Emulator
from bot.emulator.flood import FloodLimits


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--token", default=None, help="bot token (generated when omitted)")
    parser.add_argument("--username", default="newsdigest_test_bot")
    parser.add_argument("--no-flood", action="store_true", help="switch flood limits off")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    limits = FloodLimits(enabled=not args.no_flood)
    emulator = Emulator(
        args.token, bot_username=args.username, flood=limits, host=args.host, port=args.port
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    async with emulator:
        print(f"base_url={emulator.base_url}", flush=True)
        print(f"control_url={emulator.control_url}", flush=True)
        print(f"token={emulator.token}", flush=True)
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    asyncio.run(_serve(_arguments(argv)))


if __name__ == "__main__":
    main()
