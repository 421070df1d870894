"""audiobook: turn a Chinese article into a chaptered Mandarin audio edition."""

__version__ = "0.1.0"
