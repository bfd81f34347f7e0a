"""Identity: staff users, roles and the locations they act on, customer accounts, API tokens, sessions, audit."""
