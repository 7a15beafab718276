"""The pure dialogue engine: ``step`` decides replies and effects, no I/O."""

from bot.engine.flow import step
from bot.engine.state import ConversationState
from bot.engine.turn import Turn, UserMessage

__all__ = ["ConversationState", "Turn", "UserMessage", "step"]
