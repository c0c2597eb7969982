"""Which forbidden modules does importing each given module load? (Used by check_structure.py.)

    python -I tools/import_probe.py ROOT PACKAGE FORBIDDEN_JSON MODULE...

Run in a fresh interpreter. It imports PACKAGE (the top-level package, which every import of
one of its modules runs first anyway), then, for each MODULE, forks a child that imports it
and reports the forbidden modules then in `sys.modules`. Each child therefore starts from
exactly the state a fresh interpreter reaches before importing MODULE, while the common part
(the interpreter and the package root with its dependencies) is paid once, not per module.
A forbidden module already loaded by PACKAGE itself shows up for every MODULE, as it would.

Prints one JSON object on its last line: {module: {"loaded": [...]} or {"error": "..."}}.
Standard library only, and nothing imported that a checked module could care about.
"""
import importlib
import json
import os
import sys


def _forbidden_loaded(forbidden: list[str]) -> list[str]:
    return sorted(f for f in forbidden if any(m == f or m.startswith(f + ".") for m in sys.modules))


def _child(module: str, forbidden: list[str], write: int) -> None:
    """Import `module`, send the result through the pipe and leave without running cleanups."""
    try:
        importlib.import_module(module)
        result = {"loaded": _forbidden_loaded(forbidden)}
    except BaseException as exc:  # a module that fails to import is reported, not fatal
        result = {"error": f"{type(exc).__name__}: {exc}"}
    with os.fdopen(write, "w", encoding="utf-8") as out:
        json.dump(result, out)
    os._exit(0)


def probe(module: str, forbidden: list[str]) -> dict:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        _child(module, forbidden, write)
    os.close(write)
    with os.fdopen(read, encoding="utf-8") as incoming:
        data = incoming.read()
    _, status = os.waitpid(pid, 0)
    return json.loads(data) if data else {"error": f"probe process died (status {status})"}


def main() -> None:
    root, package, forbidden_json, *modules = sys.argv[1:]
    forbidden = json.loads(forbidden_json)
    sys.path.insert(0, root)
    importlib.import_module(package)
    results = {module: probe(module, forbidden) for module in modules}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
