"""Who may do what: roles from the role file and the identity provider's claims, and the sign-in settings."""
