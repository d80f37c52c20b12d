"""guidelines: MOST 申报指南 PDFs → clean, traceable edition records.

Stages, each a pure function chained as `chars → lines → paragraphs → tree → records`:
`layout` (chars → lines), `furniture` (running headers/footers out), `paragraphs`
(lines → paragraphs), `outline` (paragraphs → tree), `records` (tree → Edition).
`extract.extract_to_dir` runs them all on a PDF and writes every stage's output.
"""

__version__ = "0.1.0"
