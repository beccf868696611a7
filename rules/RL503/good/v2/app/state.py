APP = None
