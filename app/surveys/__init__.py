"""Survey definitions: their schema, reading them from YAML, and storing their versions."""
