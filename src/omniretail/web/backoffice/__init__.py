"""The back office (``/admin``): lists that filter, sort and page on the server and export CSV, scoped to the
staff member's roles and stores."""
