"""The installable phone app: manifest, service worker and the offline sync endpoint."""
