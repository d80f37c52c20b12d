"""Reading a scan: OCR a page image into the same raw characters the PDF reader gives.

One job a module, chained as pure steps (nothing changes what it is given):

| module | job |
|---|---|
| `document.py` | which pages need OCR (`pdf.page_text_status`), and the document with those pages read |
| `render.py` | a page → an image at the scan's own resolution |
| `engine.py` | the engine (imported only when a page needs it): an image → text lines as read |
| `fixes.py` | fixes for what the engine reads, one rule a function, each switchable, each change recorded |
| `lines.py` | the line record, word spaces from the line image, lines → raw characters |

Nothing is downloaded at run time: the models ship inside the `ocr` extra's wheels.
"""

from .document import OCR_MODES, OcrReport, ocr_document, pages_to_ocr, read_page
from .engine import INSTALL_HINT, EngineReader, engine_name, load_engine

__all__ = ["OCR_MODES", "OcrReport", "ocr_document", "pages_to_ocr", "read_page", "INSTALL_HINT", "EngineReader",
           "engine_name", "load_engine"]
