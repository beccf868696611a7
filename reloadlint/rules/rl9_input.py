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

    ## Example
    A file declaring ``# coding: ascii`` that contains ``é``.

    ## Use instead
    Save the file as UTF-8 and drop the wrong coding line.

    ## Fix safety
    There is no automatic fix.
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

    ## Example
    A ``.py`` file with mode ``000``.

    ## Use instead
    Make the file readable, or exclude it (``extend-exclude``).

    ## Fix safety
    There is no automatic fix.
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

    ## Example
    ``x = 1 + (1 + (1 + ...))`` nested thousands deep.

    ## Use instead
    Exclude generated files, or generate flatter code.

    ## Fix safety
    There is no automatic fix.
    """

    code = "RL904"
    name = "too-complex"
    summary = "File is nested too deeply to analyse"
