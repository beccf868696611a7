from app.state import RECENT  # re-exported: importers change app.state.RECENT through it
