# Not reloaded: what the workers produced.
RESULTS = globals().get("RESULTS", [])
