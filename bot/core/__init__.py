"""Pure helpers every layer may use: rendering texts, working days, text hygiene, privacy, logs."""
