"""Speech engines behind one small interface (base.Engine), found through the registry."""
