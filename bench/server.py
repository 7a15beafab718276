"""Run the app for the benchmark: uvicorn with N worker processes, no access log."""

from __future__ import annotations

import argparse
import os

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    uvicorn.run(
        "bot.http.app:app_from_env",
        factory=True,
        host="127.0.0.1",
        port=int(os.environ["LAPOR_PORT"]),
        workers=args.workers,
        access_log=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
