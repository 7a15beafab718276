"""Print the corpus figures on the engine: ``.venv/bin/python -m tests.dialogues``."""

from __future__ import annotations

import asyncio

from nlu import load_parser
from tests.dialogues.corpus import figures, load_corpus, problems
from tests.dialogues.engine import run_on_engine


async def main() -> None:
    parser = load_parser()
    outcomes, failed = [], 0
    for conversation in load_corpus():
        outcome = await run_on_engine(conversation, parser)
        outcomes.append(outcome)
        for problem in problems(conversation, outcome):
            failed += 1
            print(f"FAIL {conversation.id}: {problem}")
    for name, value in figures(outcomes).items():
        print(f"  {name:<16} {value:.3f}" if isinstance(value, float) else f"  {name:<16} {value}")
    print(f"  failing          {failed}")


asyncio.run(main())
