"""Delivery: outbox rows leave through their channel's connector; receipts move them forward."""
