"""A second, fictional kommun for tests: its own config (tsk.toml), mappings and a builder of stores."""
