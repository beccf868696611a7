"""Background work."""
import dramatiq

import app.worker  # noqa: F401  (the broker)


@dramatiq.actor
def index_document(doc_id, language):
    return f"indexed {doc_id} ({language})"
