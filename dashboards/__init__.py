"""The top floor's pages: each role's workbench and the city cockpit."""
