"""Text front end: reading, cleanup, structure, segmentation, normalization, pronunciation."""
