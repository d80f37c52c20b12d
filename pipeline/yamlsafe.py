"""Reading YAML a person wrote (corrections files, params.yaml) without letting the file choose what is built.

PyYAML's SafeLoader already builds nothing but plain values; on top of it, while the file is composed (before
anything is built):
- an alias (`*name`) is refused: a kilobyte of nested aliases expands to gigabytes (the "billion laughs");
- nesting deeper than MAX_DEPTH is refused: PyYAML composes recursively, and a file of 10,000 `[` would
  otherwise end in a RecursionError;
and after composing, `refused_tag` finds a node whose tag is not a plain one (`!!python/…`, `!!set`, `!custom`).
The callers turn these into their own one-line errors (a `YAMLError` whose `problem` is ALIAS or TOO_DEEP).
"""

from __future__ import annotations

YAML_CORE = "tag:yaml.org,2002:"
# the tags a value may have (plain YAML scalars, lists, mappings); anything else (!!python/…, !!set, !custom) is refused
PLAIN_TAGS = {YAML_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}
MAX_DEPTH = 100  # lists and mappings inside each other: a corrections file or params.yaml needs 4
ALIAS, TOO_DEEP = "alias", "nested too deeply"
PREVIEW = 60  # characters of a value an error message shows (a value in such a file can be megabytes)


def preview(value, limit: int = PREVIEW) -> str:
    """repr(value) cut to limit characters (an ellipsis marks the cut): what an error message shows of a value."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[:limit] + "…"


def plain_loader(max_depth: int = MAX_DEPTH):
    """A SafeLoader class that refuses aliases and nesting deeper than max_depth while it composes."""
    import yaml

    class PlainLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.MarkedYAMLError(problem=ALIAS, problem_mark=event.start_mark)
            if self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
                if self.depth >= max_depth:
                    raise yaml.MarkedYAMLError(problem=TOO_DEEP, problem_mark=self.peek_event().start_mark)
                self.depth += 1
                try:
                    return super().compose_node(parent, index)
                finally:
                    self.depth -= 1
            return super().compose_node(parent, index)

    return PlainLoader


def refused_tag(root):
    """The first node (in file order) whose tag is not a plain one, or None."""
    pending = [root]
    while pending:
        node = pending.pop()
        if node.tag not in PLAIN_TAGS:
            return node
        if isinstance(node.value, list):
            children = [n for pair in node.value for n in (pair if isinstance(pair, tuple) else (pair,))]
            pending.extend(reversed(children))
    return None


def tag_as_written(tag: str) -> str:
    return "!!" + tag[len(YAML_CORE):] if tag.startswith(YAML_CORE) else tag
