"""Compiled theme templates, kept for the whole process.

MkDocs makes a new Jinja environment for every build, so Material's templates are parsed and compiled
again each time: five times in a build of five languages (mkdocs-static-i18n builds them in turn), and
on every rebuild of `mkdocs serve`, where it was a third of a one-language rebuild. Jinja's bytecode
cache keeps the compiled code by template name and a checksum of its source, so an edited template is
compiled anew. The code also depends on the environment's settings (extensions, gettext style, syntax,
autoescaping), which are part of the key here, so two differently set environments never share code.
"""
from __future__ import annotations

import os
import sysconfig

from jinja2 import BytecodeCache, FileSystemLoader
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_CACHES: dict[tuple, MemoryBytecodeCache] = {}


def _settings(env) -> tuple:
    return (
        tuple(sorted(env.extensions)), bool(getattr(env, "newstyle_gettext", False)),
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        env.autoescape if isinstance(env.autoescape, bool) else id(env.autoescape), env.optimized,
        env.undefined, env.finalize is None, env.is_async,
    )


def share_compiled_templates(env) -> None:
    """Give `env` the process's cache of compiled templates for environments set up like it."""
    env.bytecode_cache = _CACHES.setdefault(_settings(env), MemoryBytecodeCache())


def shared(env):
    share_compiled_templates(env)
    _list_installed_once(env.loader)
    return env


# MkDocs lists every file of the theme's folders at the start of each build to copy its static files:
# 14,500 files for Material (mostly icons), a tenth to a third of a second each time, the largest part of
# a one-language rebuild after the pages themselves. Installed themes do not change while the process
# runs, so their lists are kept; the project's own folders (overrides/) are listed every time.
INSTALLED = tuple({os.path.realpath(sysconfig.get_paths()[key]) + os.sep for key in ("purelib", "platlib")})
_LISTED: dict[tuple, list[str]] = {}


def _list_installed_once(loader) -> None:
    if type(loader) is not FileSystemLoader or len(loader.searchpath) < 1:
        return

    def list_templates() -> list[str]:
        found: set[str] = set()
        for path in loader.searchpath:
            one = FileSystemLoader(path, loader.encoding, loader.followlinks)
            if os.path.realpath(path).startswith(INSTALLED):
                key = (path, loader.followlinks)
                if key not in _LISTED:
                    _LISTED[key] = one.list_templates()
                found.update(_LISTED[key])
            else:
                found.update(one.list_templates())
        return sorted(found)

    loader.list_templates = list_templates
