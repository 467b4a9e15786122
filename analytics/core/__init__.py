"""What every other part of analytics builds on: the schema of the tables, the settings, the errors."""
