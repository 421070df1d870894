"""Export: the files of an audio edition (MP3, M4B, subtitles, chapters, manifest)."""
