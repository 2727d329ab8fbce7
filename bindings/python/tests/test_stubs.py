"""The type stubs (keyturn/_native.pyi) match the extension module: names, members, signatures."""

from __future__ import annotations

import ast
import inspect
import types
from pathlib import Path
from typing import Dict, List, Tuple

import keyturn
from keyturn import _native

STUB = Path(keyturn.__file__).parent / "_native.pyi"
PARAM_KINDS = {
    "posonly": inspect.Parameter.POSITIONAL_ONLY,
    "args": inspect.Parameter.POSITIONAL_OR_KEYWORD,
    "vararg": inspect.Parameter.VAR_POSITIONAL,
    "kwonly": inspect.Parameter.KEYWORD_ONLY,
    "kwarg": inspect.Parameter.VAR_KEYWORD,
}


def stub_params(fn: ast.FunctionDef, drop_self: bool) -> List[Tuple[str, inspect._ParameterKind, bool]]:
    """(name, kind, has a default) of a stub function's parameters."""
    a = fn.args
    out = []
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    for i, (p, d) in enumerate(zip(positional, defaults)):
        kind = PARAM_KINDS["posonly"] if i < len(a.posonlyargs) else PARAM_KINDS["args"]
        out.append((p.arg, kind, d is not None))
    if a.vararg:
        out.append((a.vararg.arg, PARAM_KINDS["vararg"], False))
    for p, d in zip(a.kwonlyargs, a.kw_defaults):
        out.append((p.arg, PARAM_KINDS["kwonly"], d is not None))
    if a.kwarg:
        out.append((a.kwarg.arg, PARAM_KINDS["kwarg"], False))
    if drop_self and out and out[0][0] in ("self", "cls"):
        out = out[1:]
    return out


def runtime_params(obj: object) -> List[Tuple[str, inspect._ParameterKind, bool]]:
    sig = inspect.signature(obj)  # type: ignore[arg-type]
    params = [p for p in sig.parameters.values() if p.name not in ("self", "$self", "cls")]
    # pyo3 marks leading positional parameters positional-only only when asked; treat both alike.
    norm = lambda k: inspect.Parameter.POSITIONAL_OR_KEYWORD if k == inspect.Parameter.POSITIONAL_ONLY else k  # noqa: E731
    return [(p.name, norm(p.kind), p.default is not inspect.Parameter.empty) for p in params]


def normalise(params: List[Tuple[str, inspect._ParameterKind, bool]]) -> List[Tuple[str, inspect._ParameterKind, bool]]:
    return [
        (n, inspect.Parameter.POSITIONAL_OR_KEYWORD if k == inspect.Parameter.POSITIONAL_ONLY else k, d)
        for n, k, d in params
    ]


def is_property(fn: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "property" for d in fn.decorator_list)


def is_static(fn: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in fn.decorator_list)


def stub_tree() -> ast.Module:
    return ast.parse(STUB.read_text())


def public(name: str) -> bool:
    return not name.startswith("_")


def test_module_names_match() -> None:
    tree = stub_tree()
    stub_names = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            stub_names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            stub_names.add(node.target.id)
    runtime_names = {n for n in dir(_native) if public(n) or n == "__version__"}
    runtime_names -= {n for n in runtime_names if isinstance(getattr(_native, n), types.ModuleType)}
    stub_names = {n for n in stub_names if public(n) or n == "__version__"}
    assert stub_names == runtime_names


def test_functions_match() -> None:
    for node in stub_tree().body:
        if isinstance(node, ast.FunctionDef):
            assert normalise(stub_params(node, False)) == runtime_params(getattr(_native, node.name)), node.name


def test_classes_match() -> None:
    checked = 0
    for node in stub_tree().body:
        if not isinstance(node, ast.ClassDef):
            continue
        cls = getattr(_native, node.name)
        stub_members: Dict[str, ast.AST] = {}
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                stub_members[item.name] = item
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                stub_members[item.target.id] = item
        runtime_members = {n for n in dir(cls) if public(n) and not hasattr(object, n)}
        assert {n for n in stub_members if public(n)} == runtime_members, node.name
        for name, item in stub_members.items():
            if name == "__init__":
                assert isinstance(item, ast.FunctionDef)
                assert normalise(stub_params(item, True)) == runtime_params(cls), f"{node.name}()"
                checked += 1
                continue
            raw = inspect.getattr_static(cls, name)
            if isinstance(item, ast.AnnAssign) or (isinstance(item, ast.FunctionDef) and is_property(item)):
                assert isinstance(raw, (property, types.GetSetDescriptorType, types.MemberDescriptorType)), f"{node.name}.{name} is not an attribute"
                continue
            assert isinstance(item, ast.FunctionDef)
            if is_static(item):
                assert isinstance(raw, staticmethod), f"{node.name}.{name} is not a staticmethod"
                runtime = getattr(cls, name)
                assert normalise(stub_params(item, False)) == runtime_params(runtime), f"{node.name}.{name}"
            else:
                assert callable(raw), f"{node.name}.{name}"
                if name.startswith("__"):
                    continue  # slots (__bool__, __enter__, __exit__) have no introspectable signature
                assert normalise(stub_params(item, True)) == runtime_params(raw), f"{node.name}.{name}"
            checked += 1
    assert checked >= 20  # constructors and methods with a signature


def test_package_reexports_the_module() -> None:
    for name in dir(_native):
        if public(name) and not isinstance(getattr(_native, name), types.ModuleType):
            assert getattr(keyturn, name) is getattr(_native, name)
    assert set(keyturn.__all__) <= set(dir(keyturn))
    assert (Path(keyturn.__file__).parent / "py.typed").exists()
    assert keyturn.__version__ == "0.1.0"


def test_versions_agree() -> None:
    """The wheel's version (pyproject.toml), the crate's (Cargo.toml) and the module's agree."""
    import re

    root = Path(__file__).resolve().parents[3]
    pyproject = (root / "bindings" / "python" / "pyproject.toml").read_text()
    cargo = (root / "Cargo.toml").read_text()
    py_version = re.search(r'^version = "([^"]+)"', pyproject, re.M)
    workspace = re.search(r'\[workspace\.package\][^\[]*?^version = "([^"]+)"', cargo, re.M | re.S)
    assert py_version and workspace
    assert py_version.group(1) == workspace.group(1) == keyturn.__version__
