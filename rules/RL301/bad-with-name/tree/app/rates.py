"""The same file named through the package's resources: a literal path too."""

import json
from importlib.resources import files

RATES = json.loads(files(__package__).joinpath("limits.json").read_text())
