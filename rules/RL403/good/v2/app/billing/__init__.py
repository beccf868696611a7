"""`app.billing` became a package; what moved is re-exported."""
from app.billing.core import *
from app.billing.core import legacy_total as legacy_total
