"""RL9xx: files that could not be analysed.

These rules check nothing themselves: the engine reports them when a file
cannot be read, decoded or parsed, so one bad file never stops the run.
"""

from __future__ import annotations

from reloadlint.rules.base import Rule


class SyntaxErrorRule(Rule):
    """## What it does
    Reports a file that does not parse as Python (for the Python running
    reloadlint), with the parser's message and position.

    ## Why is this bad?
    reloadlint cannot judge code it cannot read, and neither can the
    interpreter: a reload of this module raises ``SyntaxError`` and leaves the
    old code running.

    ## Known problems
    The file is parsed with the grammar of the Python that runs reloadlint:
    code written for a newer Python is reported here when reloadlint runs on
    an older one.

    ## Example
    ```python
    print "hello"
    ```

    ## Use instead
    ```python
    print("hello")
    ```

    ## Fix safety
    There is no automatic fix.

    ## Options
    - ``exclude``, ``extend-exclude``: files that are not meant to parse (templates, fixtures)
      can be excluded.

    ## References
    - [`ast.parse`](https://docs.python.org/3/library/ast.html#ast.parse)
    """

    code = "RL901"
    name = "syntax-error"
    summary = "File does not parse"


class DecodeErrorRule(Rule):
    """## What it does
    Reports a file whose bytes cannot be decoded with its declared encoding
    (a PEP 263 ``# coding:`` line, a BOM, or UTF-8 by default).

    ## Why is this bad?
    Python refuses to import such a file, so a reload of it fails.

    ## Known problems
    None known.

    ## Example
    A file that declares ASCII but contains ``é`` (saved as UTF-8):

    ```python
    # coding: ascii
    GREETING = "héllo"
    ```

    ## Use instead
    Save the file as UTF-8 and drop the wrong coding line:

    ```python
    GREETING = "héllo"
    ```

    ## Fix safety
    There is no automatic fix.

    ## Options
    - ``exclude``, ``extend-exclude``: to skip such files.

    ## References
    - [PEP 263: source code encodings](https://peps.python.org/pep-0263/)
    """

    code = "RL902"
    name = "decode-error"
    summary = "File cannot be decoded"


class UnreadableFileRule(Rule):
    """## What it does
    Reports a file that could not be read: permission denied, deleted while
    the run went on, a binary file named ``.py`` (NUL bytes), or a file over
    the size limit.

    ## Why is this bad?
    Nothing about it can be checked.

    ## Known problems
    None known.

    ## Example
    A ``.py`` file with mode ``000``.

    ## Use instead
    Make the file readable, or exclude it (``extend-exclude``).

    ## Fix safety
    There is no automatic fix.

    ## Options
    - ``exclude``, ``extend-exclude``: to skip such files.

    ## References
    - [The model of a reload](https://reloadlint.readthedocs.io/en/latest/model.html)
    """

    code = "RL903"
    name = "unreadable-file"
    summary = "File cannot be read"


class TooComplexRule(Rule):
    """## What it does
    Reports a file nested too deeply for the parser or the analysis
    (generated code with thousands of nested expressions).

    ## Why is this bad?
    It could not be analysed; findings in it would be missed silently.

    ## Known problems
    The depth at which analysis gives up depends on the interpreter's
    parser and recursion limits, so the same file can be reported on one
    Python and not on another.

    ## Example
    ``x = 1 + (1 + (1 + ...))`` nested thousands deep.

    ## Use instead
    Exclude generated files, or generate flatter code.

    ## Fix safety
    There is no automatic fix.

    ## Options
    - ``exclude``, ``extend-exclude``: generated files are best excluded.

    ## References
    - [`ast.parse`](https://docs.python.org/3/library/ast.html#ast.parse) (its warning about
      deeply nested input)
    """

    code = "RL904"
    name = "too-complex"
    summary = "File is nested too deeply to analyse"
