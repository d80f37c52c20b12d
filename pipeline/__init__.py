"""guidelines: MOST 申报指南 PDFs → clean, traceable edition records.

The folders are the pipeline, and imports point one way (tests/test_architecture.py):

    reading → structure → records → quality, enrich → publish;  compare reads editions only

`reading/` (PDF glyphs; Word paragraphs; OCR'd glyphs of scanned pages), `structure/` (chars → lines → paragraphs → tree: layout,
furniture, paragraphs, outline), `records/` (tree → Edition: values, contacts, partners),
`quality/` (the checks, GX validation, Data Docs), `enrich/` (entities, keywords,
eligibility), `publish/` (the gate, metrics, analyst tables, index page, schemas),
`compare/` (diff and its rendering), `review/` (the page read before the gate), `query/`
(search, a partner's history, who may lead). At the top: the contracts and shared helpers
(`models`, `errors`, `fileio`, `editions`, `text`, `i18n`, `style`, `project`: the project
root, `console`: the one writer of what a command prints), the two drivers (`extract` runs
reading → structure → records on a file; `ingest` adds a PDF and runs the DVC pipeline)
and `cli/`, a thin layer over all of it by group of commands. Each DVC stage runs its stage
module (`python -m pipeline.extract`, `python -m pipeline.quality.validate` …), never the CLI.
"""

from pathlib import Path

__version__ = "0.1.0"

DATA = Path(__file__).with_name("data")  # gazetteers and word lists shipped with the package
