"""Static files for production: compressed, with hashed names (WhiteNoise)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    return tuple(
        (glob, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for glob, rules in patterns
    )


class StaticStorage(CompressedManifestStaticFilesStorage):
    """The vendored assets ship without their source maps, so their references are left
    as they are instead of failing ``collectstatic``."""

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
