"""The HTTP face of lapor-chat: webhooks, the REST channel, health."""
