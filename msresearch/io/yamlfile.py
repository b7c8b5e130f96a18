"""YAML files read strictly: duplicate keys refused, every error one line with its line number."""

from __future__ import annotations

import yaml

from msresearch.errors import InputError

_MERGE = "tag:yaml.org,2002:merge"


class _DuplicateKey(yaml.constructor.ConstructorError):
    """A key given twice in one mapping; the mark is its second place."""

    def __init__(self, key: object, first: int, mark: yaml.Mark):
        super().__init__(None, None, f"duplicate key '{key}' (first on line {first})", mark)
        self.key = key


class _Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` where a key given twice in a mapping is an error, not the last one
    winning, and an impossible date is a YAML error, not a ``ValueError``."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in seen:
                        raise _DuplicateKey(key, seen[key], key_node.start_mark)
                    seen[key] = key_node.start_mark.line + 1
                except TypeError:
                    continue  # an unhashable key: the safe loader refuses it below
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.Node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as err:
            raise yaml.constructor.ConstructorError(
                None, None, f"not a date: {node.value!r} ({err})", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _text(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(source, f"not UTF-8 text (byte 0x{data[err.start]:02x})",
                         line=line) from None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _syntax_error(err: yaml.YAMLError, text: str, source: str) -> InputError:
    """A YAML error said in one line: the line of the problem and its short text."""
    if isinstance(err, yaml.reader.ReaderError):
        char = err.character if isinstance(err.character, int) else ord(err.character)
        return InputError(source, f"not valid YAML: character #x{char:04x} is not allowed",
                          line=text.count("\n", 0, err.position) + 1)
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        problem = _one_line(err.problem or err.context or "not valid")
        if err.context and err.problem:
            where = ""
            if err.context_mark is not None and mark is not None \
                    and err.context_mark.line != mark.line:
                where = f" on line {err.context_mark.line + 1}"
            problem += f" ({_one_line(err.context)}{where})"
        return InputError(source, f"not valid YAML: {problem}",
                          line=None if mark is None else mark.line + 1)
    return InputError(source, f"not valid YAML: {_one_line(err)}")


def _lines(loader: _Loader, root: yaml.Node) -> dict[tuple, int]:
    """The line (1-based) of every key and item, by its path from the root: a mapping's entry
    at the line of its key, a list's item where it starts; ``()`` is the root."""
    lines: dict[tuple, int] = {(): root.start_mark.line + 1}
    stack, seen = [((), root)], set()
    while stack:
        path, node = stack.pop()
        if id(node) in seen:  # an alias: its lines are those of its anchor
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value in node.value:
                key = loader.construct_object(key_node, deep=True)
                lines[(*path, key)] = key_node.start_mark.line + 1
                stack.append(((*path, key), value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, index)] = item.start_mark.line + 1
                stack.append(((*path, index), item))
    return lines


def load_with_lines(data: str | bytes, source: str) -> tuple[object, dict[tuple, int]]:
    """The document in ``data`` (bytes are UTF-8) and the lines of its parts (see ``_lines``);
    an empty document is ``None``. Any problem is an ``InputError`` naming ``source``."""
    text = _text(data, source) if isinstance(data, bytes) else data
    loader = None
    try:
        loader = _Loader(text)
        root = loader.get_single_node()
        if root is None:
            return None, {}
        return loader.construct_document(root), _lines(loader, root)
    except _DuplicateKey as err:
        raise InputError(source, err.problem, line=err.problem_mark.line + 1,
                         field=str(err.key)) from None
    except yaml.YAMLError as err:
        raise _syntax_error(err, text, source) from None
    except RecursionError:
        raise InputError(source, "not valid YAML: nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()


def load(data: str | bytes, source: str) -> object:
    """The document in ``data``, read strictly (see ``load_with_lines``)."""
    return load_with_lines(data, source)[0]
