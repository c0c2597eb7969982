"""The structure checker (tools/check_structure.py).

The first tests hold the real `lms` tree to the four rules. The rest plant each kind of
violation in a small synthetic package under `tmp_path` and prove the checker reports it,
so no rule can pass just because the checker found nothing to look at.
"""
import importlib
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# tools/ holds scripts, not a package: make it importable the way running a script there does.
if str(ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(ROOT / "tools"))
checker = importlib.import_module("check_structure")
import_graph = importlib.import_module("import_graph")


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: source} under root (sources dedented) and return root."""
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return root


# --- the real tree ----------------------------------------------------------------------------


def test_no_import_cycles():
    cycles = checker.find_import_cycles(ROOT, "lms")
    assert not cycles, "module-level import cycles:\n" + "\n".join(c.describe() for c in cycles)


def test_route_modules_do_not_commit():
    commits = checker.find_route_commits(ROOT, "lms")
    assert not commits, (
        "route modules must not commit (the request's unit of work does):\n"
        + "\n".join(c.describe() for c in commits))


def test_pure_cores_are_pure():
    impure, checked = checker.find_impure_modules(ROOT, "lms")
    assert checked >= len(checker.PURE_CORES)
    assert not impure, (
        f"pure cores (and what they import) must not load {', '.join(checker.FORBIDDEN)}:\n"
        + "\n".join(i.describe() for i in impure))


def test_no_module_over_400_lines():
    long_modules = checker.find_long_modules(ROOT, "lms", 400)
    assert not long_modules, "modules over 400 lines:\n" + "\n".join(f"{p}: {n}" for p, n in long_modules)


def test_real_tree_gives_the_commit_rule_something_to_check():
    """URL rules live in blueprint.py; the view modules they register must count as route modules."""
    routes = checker.find_route_modules(ROOT, "lms")
    assert any(name.endswith(".blueprint") for name in routes)
    assert any(reason.startswith("view functions registered") for reason in routes.values())


# --- rule 1: import cycles ------------------------------------------------------------------------


def test_cycle_between_two_modules_is_caught(tmp_path):
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\n",
        "pkg/b.py": "import os\n\nimport pkg.a\n",
    })
    cycles = checker.find_import_cycles(tmp_path, "pkg")
    assert [c.members for c in cycles] == [("pkg.a", "pkg.b")]
    assert cycles[0].path == ("pkg.a", "pkg.b", "pkg.a")
    assert "pkg/a.py:1  pkg.a -> pkg.b" in cycles[0].describe()
    assert "pkg/b.py:3  pkg.b -> pkg.a" in cycles[0].describe()


def test_cycle_through_a_package_init_is_caught(tmp_path):
    """Importing pkg.sub.leaf runs pkg/sub/__init__.py, which imports pkg.other back."""
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "from pkg.other import helper\n",
        "pkg/sub/leaf.py": "VALUE = 1\n",
        "pkg/other.py": "from pkg.sub.leaf import VALUE\n\n\ndef helper():\n    return VALUE\n",
    })
    cycles = checker.find_import_cycles(tmp_path, "pkg")
    assert [c.members for c in cycles] == [("pkg.other", "pkg.sub")]
    assert "imports pkg.sub.leaf, which runs pkg.sub/__init__" in cycles[0].describe()


def test_relative_import_cycle_is_caught(tmp_path):
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/feature/__init__.py": "",
        "pkg/feature/views.py": "from . import services\n",
        "pkg/feature/services.py": "from ..feature.views import thing\n",
    })
    cycles = checker.find_import_cycles(tmp_path, "pkg")
    assert [c.members for c in cycles] == [("pkg.feature.services", "pkg.feature.views")]


@pytest.mark.parametrize("wrapped", [
    "try:\n    from pkg import a\nexcept ImportError:\n    a = None\n",
    "if True:\n    pass\nelse:\n    import pkg.a\n",
    "class Late:\n    from pkg.a import NAME\n",
])
def test_imports_under_top_level_blocks_count(tmp_path, wrapped):
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "import pkg.b\nNAME = 1\n", "pkg/b.py": wrapped})
    assert [c.members for c in checker.find_import_cycles(tmp_path, "pkg")] == [("pkg.a", "pkg.b")]


def test_imports_that_do_not_run_at_import_time_make_no_cycle(tmp_path):
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": """\
            import typing
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from pkg.a import Thing
            if typing.TYPE_CHECKING:
                import pkg.a


            def late():
                from pkg import a
                return a


            class Holder:
                def method(self):
                    import pkg.a
                    return pkg.a
            """,
        # The re-exporting package: its submodules import siblings, which runs pkg/models
        # only in principle; Python has already started it, so this is no cycle.
        "pkg/models/__init__.py": "from pkg.models.user import User\n",
        "pkg/models/base.py": "Base = object\n",
        "pkg/models/user.py": "from pkg.models.base import Base\n\n\nclass User(Base):\n    pass\n",
    })
    assert checker.find_import_cycles(tmp_path, "pkg") == []


def test_submodule_reading_names_from_its_half_built_package_is_a_cycle(tmp_path):
    """Only the implied edge to one's own package is left out; naming the package is not."""
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/models/__init__.py": "from pkg.models.user import User\nfrom pkg.models.unit import Unit\n",
        "pkg/models/user.py": "class User:\n    pass\n",
        "pkg/models/unit.py": "from pkg.models import User\n\n\nclass Unit(User):\n    pass\n",
    })
    cycles = checker.find_import_cycles(tmp_path, "pkg")
    assert [c.members for c in cycles] == [("pkg.models", "pkg.models.unit")]


def test_a_module_importing_itself_is_caught(tmp_path):
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "import pkg.a\n"})
    assert [c.members for c in checker.find_import_cycles(tmp_path, "pkg")] == [("pkg.a",)]


def test_tarjan_finds_each_component():
    graph = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["e"], "e": ["d"], "f": ["a"]}
    components = import_graph.strongly_connected_components(graph)
    assert sorted(components) == [["a", "b", "c"], ["d", "e"], ["f"]]


# --- rule 2: route modules do not commit --------------------------------------------------------

EXTENSIONS = "pkg/extensions.py"


@pytest.mark.parametrize("declaration", [
    '@bp.route("/")\ndef index():',
    '@bp.post("/")\ndef index():',
    '@app.get("/x", endpoint="x")\ndef index():',
    'def index():',  # with add_url_rule below
])
def test_commit_in_a_module_that_declares_routes_is_caught(tmp_path, declaration):
    rule = '\nbp.add_url_rule("/", view_func=index)\n' if declaration == "def index():" else ""
    source = f"from pkg.extensions import app, bp, db\n\n\n{declaration}\n    db.session.commit()\n{rule}"
    write_tree(tmp_path, {"pkg/__init__.py": "", EXTENSIONS: "", "pkg/views.py": source})
    commits = checker.find_route_commits(tmp_path, "pkg")
    line = 5 if declaration == "def index():" else 6
    assert [(c.path, c.line, c.call) for c in commits] == [("pkg/views.py", line, "db.session.commit()")]


def test_commit_in_views_registered_by_a_blueprint_is_caught(tmp_path):
    """URL rules in blueprint.py, handlers elsewhere: the handlers' modules are route modules."""
    commit = "from pkg.extensions import db\n\n\ndef {name}():\n    db.session.commit()\n"
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        EXTENSIONS: "",
        "pkg/feature/__init__.py": "",
        "pkg/feature/blueprint.py": """\
            from pkg.feature import handlers
            from pkg.feature.more import show
            from pkg.feature.classy import Page
            import pkg.feature.dotted

            bp.add_url_rule("/a", view_func=handlers.index)
            bp.add_url_rule("/b", view_func=login_required(show))
            bp.add_url_rule("/c", view_func=Page.as_view("page"))
            bp.add_url_rule("/d", view_func=pkg.feature.dotted.index)
            """,
        "pkg/feature/handlers.py": commit.format(name="index"),
        "pkg/feature/more.py": commit.format(name="show"),
        "pkg/feature/classy.py": "from pkg.extensions import db\n\n\nclass Page:\n    def get(self):\n"
                                 "        db.session.commit()\n",
        "pkg/feature/dotted.py": commit.format(name="index"),
    })
    commits = checker.find_route_commits(tmp_path, "pkg")
    assert [c.module for c in commits] == [
        "pkg.feature.classy", "pkg.feature.dotted", "pkg.feature.handlers", "pkg.feature.more"]
    assert "registered in pkg/feature/blueprint.py" in commits[0].describe()


def test_commits_outside_route_modules_are_allowed(tmp_path):
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        EXTENSIONS: "",
        "pkg/cli.py": "from pkg.extensions import db\n\n\ndef seed():\n    db.session.commit()\n",
        "pkg/unit_of_work.py": "def finish(session):\n    session.commit()\n",
    })
    assert checker.find_route_commits(tmp_path, "pkg") == []


# --- rule 3: pure cores are pure ----------------------------------------------------------------


def _impurities(root: Path, cores) -> dict:
    impure, _ = checker.find_impure_modules(root, "pkg", cores, ("pkg.db",))
    return {i.module: i for i in impure}


def test_impure_core_is_caught_with_its_import_chain(tmp_path):
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/db.py": "",
        "pkg/core.py": "from pkg import helper\n",
        "pkg/helper.py": "import pkg.db\n",
        "pkg/clean.py": "import json\n",
    })
    impure, checked = checker.find_impure_modules(tmp_path, "pkg", ("pkg.core", "pkg.clean"), ("pkg.db",))
    assert checked == 3  # the two listed, and pkg.helper which pkg.core imports
    assert {i.module: i.chains for i in impure} == {
        "pkg.core": (("pkg.core", "pkg.helper", "pkg.db"),),
        "pkg.helper": (("pkg.helper", "pkg.db"),),
    }
    assert "pkg.core loads pkg.db" in impure[0].describe()


def test_runtime_import_the_ast_cannot_see_is_still_caught(tmp_path):
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/db.py": "",
        "pkg/core.py": 'import importlib\n\nimportlib.import_module("pkg.db")\n',
    })
    impurity = _impurities(tmp_path, ("pkg.core",))["pkg.core"]
    assert impurity.loaded == ("pkg.db",)
    assert impurity.chains == ()


def test_package_init_that_loads_the_database_makes_its_modules_impure(tmp_path):
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/db.py": "",
        "pkg/feature/__init__.py": "from pkg import db\n",
        "pkg/feature/pure.py": "X = 1\n",
    })
    impurity = _impurities(tmp_path, ("pkg.feature.pure",))["pkg.feature.pure"]
    assert impurity.chains == (("pkg.feature.pure", "pkg.feature", "pkg.db"),)


def test_package_root_that_loads_the_database_makes_every_module_impure(tmp_path):
    write_tree(tmp_path, {"pkg/__init__.py": "import pkg.db\n", "pkg/db.py": "", "pkg/core.py": ""})
    assert _impurities(tmp_path, ("pkg.core",))["pkg.core"].chains == (("pkg.core", "pkg", "pkg.db"),)


def test_missing_or_unimportable_core_is_reported(tmp_path):
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/broken.py": 'raise RuntimeError("boom")\n'})
    found = _impurities(tmp_path, ("pkg.gone", "pkg.broken"))
    assert found["pkg.gone"].error == "listed as a pure core but not found"
    assert "RuntimeError: boom" in found["pkg.broken"].error


# --- rule 4: module length ----------------------------------------------------------------------


def test_module_over_the_limit_is_caught(tmp_path):
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/big.py": "x = 1\n" * 401,
        "pkg/fits.py": "x = 1\n" * 400,
    })
    assert checker.find_long_modules(tmp_path, "pkg", 400) == [("pkg/big.py", 401)]


# --- the whole report ----------------------------------------------------------------------------


def test_report_counts_each_rule_and_fails_on_violations(tmp_path):
    write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/db.py": "",
        "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": "import pkg.a\n",
        "pkg/views.py": '@bp.route("/")\ndef index():\n    db.session.commit()\n',
        "pkg/core.py": "import pkg.db\n" + "\n" * 400,
        "pkg/broken.py": "def (\n",
    })
    summary, details = checker.run_checks(tmp_path, "pkg", ("pkg.core",), ("pkg.db",), 400)
    assert summary == [
        "modules: 7 (1 unparsable)",
        "import cycles: 1",
        "commits in route modules: 1 (in 1 route modules)",
        "impure cores: 1 of 1",
        "modules over 400 lines: 1",
    ]
    assert any("pkg/broken.py" in line for line in details)


def test_report_is_clean_on_a_clean_tree(tmp_path):
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/core.py": "import json\n"})
    summary, details = checker.run_checks(tmp_path, "pkg", ("pkg.core",), ("pkg.db",), 400)
    assert details == []
    assert "impure cores: 0 of 1" in summary


def test_main_fails_on_a_package_with_no_modules(tmp_path, capsys):
    (tmp_path / "pkg").mkdir()
    assert checker.main(["--root", str(tmp_path), "--package", "pkg"]) == 1
    assert "no modules found" in capsys.readouterr().err
