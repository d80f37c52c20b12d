"""Errors a user can act on: each has a one-line message that says what to do, and an exit code.

| code | error            | meaning                                             |
|------|------------------|-----------------------------------------------------|
| 1    | (a bug)          | anything else: "internal error …; report it"        |
| 2    | (usage)          | wrong command-line arguments (click's own code)     |
| 3    | InputMissing     | the input path does not exist or is not a file      |
| 4    | NotAPdf          | the file is not a PDF                               |
| 5    | CorruptPdf       | the PDF is truncated or damaged                     |
| 6    | EncryptedPdf     | the PDF needs a password                            |
| 7    | NoTextLayer      | the PDF has no text (a scan)                        |
| 8    | NotAGuideline    | the PDF has text but is not an application guideline |
| 9    | OutputError      | an output cannot be written (a directory not ours, checked tables, stdout on a full disk or closed) |
| 10   | BadEdition       | an edition.json is missing or malformed             |
| 11   | EmptyFile        | the input file has no bytes                         |
| 12   | ChecksFailed     | the edition failed one or more quality checks       |
| 13   | StaleValidation  | validation.json is missing or for another edition.json |
| 14   | IngestRefused    | ingest would overwrite or cannot name the edition   |
| 15   | PipelineFailed   | `dvc repro` failed while ingesting                  |
| 16   | BadCorrections   | a corrections file is malformed, stale or names what does not exist |
| 18   | InputTooLarge    | the PDF exceeds a reading limit (--max-stream-mb …) |
| 19   | ProjectBusy      | another ingest holds the project lock (--no-wait)   |
| 20   | NotAWordFile     | a .docx/.doc that is not a Word document (a renamed file) |
| 21   | CorruptWordFile  | the Word file is truncated or damaged               |
| 22   | WordConversionNeeded | a .doc/.wps file and no LibreOffice to convert it |
| 23   | OcrUnavailable   | a page needs OCR and the `ocr` extra is not installed |
| 24   | BlankScan        | OCR found no text on any scanned page (blank pages) |
| 25   | SeveralGuidelines | the file holds several guidelines and the command needs one (--edition) |
| 26   | NotAWebPage      | an .html/.mhtml file whose page cannot be read (no HTML part, not text) |
| 130  | Interrupted      | Ctrl-C or SIGTERM: the run stopped, its temporaries removed |
"""

from __future__ import annotations


class GuidelineError(Exception):
    """message: English. To make it translatable, mark it N_("{path}: …") and pass its values as
    keywords: the CLI shows `translated(lang)` (pipeline/i18n.py; the catalog holds the template).
    A value that is itself translatable (has `translated(lang)`, e.g. records.corrections.Message)
    is translated too."""

    exit_code = 1

    def __init__(self, message: str, **params):
        self.template, self.params = message, params
        self.message = message.format(**params) if params else message
        super().__init__(self.message)

    def translated(self, lang: str | None = None) -> str:
        from .i18n import translate

        if not self.params:
            return translate(self.message, lang)
        return translate(self.template, lang, **{k: v.translated(lang) if hasattr(v, "translated") else v
                                                 for k, v in self.params.items()})


class InputMissing(GuidelineError):
    exit_code = 3


class NotAPdf(GuidelineError):
    exit_code = 4


class CorruptPdf(GuidelineError):
    exit_code = 5


class EncryptedPdf(GuidelineError):
    exit_code = 6


class NoTextLayer(GuidelineError):
    exit_code = 7


class NotAGuideline(GuidelineError):
    exit_code = 8


class OutputError(GuidelineError):
    exit_code = 9


class BadEdition(GuidelineError):
    exit_code = 10


class EmptyFile(NotAPdf):
    exit_code = 11


class ChecksFailed(GuidelineError):
    exit_code = 12


class StaleValidation(GuidelineError):
    exit_code = 13


class IngestRefused(GuidelineError):
    exit_code = 14


class PipelineFailed(GuidelineError):
    exit_code = 15


class BadCorrections(GuidelineError):
    exit_code = 16


class InputTooLarge(GuidelineError):
    exit_code = 18


class ProjectBusy(GuidelineError):
    exit_code = 19


class NotAWordFile(GuidelineError):
    exit_code = 20


class CorruptWordFile(GuidelineError):
    exit_code = 21


class WordConversionNeeded(GuidelineError):
    exit_code = 22


class OcrUnavailable(GuidelineError):
    exit_code = 23


class BlankScan(NoTextLayer):
    exit_code = 24


class SeveralGuidelines(GuidelineError):
    exit_code = 25


class NotAWebPage(GuidelineError):
    exit_code = 26


class Interrupted(GuidelineError):
    """Ctrl-C (SIGINT) or SIGTERM: 128 + SIGINT, the code a shell gives an interrupted command."""

    exit_code = 130
