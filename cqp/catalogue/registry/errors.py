"""Refusals of a registry file: said in French, then in English, naming the file and the place."""


class RegistryImportError(Exception):
    """A registry file was refused; nothing of it was written.

    `where_fr` / `where_en` say where it failed: a line and column, a CSV member and line, or
    a fiche code. `reports` is filled by import_files() with the report of every file it handled.
    """

    def __init__(self, file_name, message_fr, message_en, *, where_fr="", where_en=""):
        self.file_name = str(file_name)
        self.message_fr = message_fr
        self.message_en = message_en
        self.where_fr = where_fr
        self.where_en = where_en
        self.reports = []
        self.errors = [self]
        super().__init__(self.text())

    @classmethod
    def combine(cls, errors):
        """One error for several refused files; its text lists each refusal."""
        if len(errors) == 1:
            return errors[0]
        combined = cls(", ".join(e.file_name for e in errors), "", "")
        combined.errors = list(errors)
        combined.args = (combined.text(),)
        return combined

    def text(self) -> str:
        if len(self.errors) > 1:
            return "\n".join(error.text() for error in self.errors)
        where_fr = f", {self.where_fr}" if self.where_fr else ""
        where_en = f", {self.where_en}" if self.where_en else ""
        return (
            f"Fichier refusé « {self.file_name} »{where_fr} : {self.message_fr} "
            "Le catalogue n'a pas été modifié par ce fichier.\n"
            f'File refused "{self.file_name}"{where_en}: {self.message_en} '
            "The catalogue was not changed by this file."
        )


def at_line(line, column=None) -> tuple[str, str]:
    """(French, English) description of a position in a file."""
    if line is None:
        return "", ""
    if column is None:
        return f"ligne {line}", f"line {line}"
    return f"ligne {line}, colonne {column}", f"line {line}, column {column}"
