"""The exception hierarchy: every failure a user can cause or meet has a type and a one-line message."""


class AudiobookError(Exception):
    """Base of every error the tool reports to the user as one line."""

    exit_code = 1


class InputError(AudiobookError):
    """The article, an option or a data file given by the user cannot be used."""

    exit_code = 2


class VoiceNotFoundError(InputError):
    """A voice id that is not in the catalog."""


class EngineUnavailableError(AudiobookError):
    """An engine cannot start: a missing model file, library or service."""


class SynthesisError(AudiobookError):
    """An engine failed to speak a segment after its retries."""


class ExportError(AudiobookError):
    """Writing the audio edition failed."""
