"""Import of France compétences' registry exports (RNCP and RS): XML flow v4.1 and CSV zip.

`import_files(paths, dry_run=False, stdout=None)` is what `manage.py import_registry` wraps.
"""

from .errors import RegistryImportError
from .importer import ImportReport, import_file, import_files

__all__ = ["ImportReport", "RegistryImportError", "import_file", "import_files"]
