"""Background work."""
import dramatiq

import app.worker  # noqa: F401  (the broker)


@dramatiq.actor
def index_document(doc_id):
    return f"indexed {doc_id}"
