"""Compiled theme templates, kept for the whole process.

MkDocs makes a new Jinja environment for every build, so Material's templates are parsed and compiled
again each time: five times in a build of five languages (mkdocs-static-i18n builds them in turn), and
on every rebuild of `mkdocs serve`, where it was a third of a one-language rebuild. Jinja's bytecode
cache keeps the compiled code by template name and a checksum of its source, so an edited template is
compiled anew. The code also depends on the environment's settings (extensions, gettext style, syntax,
autoescaping), which are part of the key here, so two differently set environments never share code.
"""
from __future__ import annotations

from jinja2 import BytecodeCache
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
    return env
