"""The delete confirmation in a tiny host app: what it says, which keys answer, whole clusters."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color
from textual.widgets import Button, Checkbox, OptionList, Static

from simdup_tui.core.cluster import Cluster, Member
from simdup_tui.core.deletion import DeletionReport, FileResult, Outcome
from simdup_tui.core.plan import DeletionMode, DeletionPlan, plan_deletion
from simdup_tui.core.summary import Summary
from simdup_tui.ui.screens.confirm_delete import ConfirmDeleteScreen
from simdup_tui.ui.widgets.deletion_progress import DeletionProgress, report_text

ROOT = Path("/photos")


def summary(name: str, size: int = 1500) -> Summary:
    return Summary(ROOT / name, bytes(768), 10, 10, "JPEG", size, 0)


def cluster(*names: str) -> Cluster:
    return Cluster(tuple(Member(summary(n), 0.0 if i == 0 else 0.01) for i, n in enumerate(names)))


CLUSTERS = [cluster("a.jpg", "b.jpg", "x/c [draft].jpg"), cluster("d.jpg", "e.jpg")]


def make_plan(names: list[str], mode: str = "trash", **kw: object) -> DeletionPlan:
    return plan_deletion([summary(n) for n in names], CLUSTERS, mode=mode, root=ROOT, **kw)


class Host(App[None]):
    """Pushes the screen at once and keeps its answer."""

    def __init__(self, plan: DeletionPlan) -> None:
        super().__init__()
        self.plan = plan
        self.answers: list[DeletionPlan | None] = []
        self.confirm: ConfirmDeleteScreen | None = None

    def on_mount(self) -> None:
        self.confirm = ConfirmDeleteScreen(self.plan, ROOT)
        self.push_screen(self.confirm, self.answers.append)


def text_of(screen: ConfirmDeleteScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def listed(screen: ConfirmDeleteScreen) -> list[str]:
    files = screen.query_one("#confirm-files", OptionList)
    return [str(files.get_option_at_index(i).prompt) for i in range(files.option_count)]


async def test_says_how_many_files_bytes_clusters_and_where() -> None:
    app = Host(make_plan(["b.jpg", "x/c [draft].jpg", "e.jpg"]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConfirmDeleteScreen)
        assert text_of(screen, "#confirm-title") == "Trash 3 files (4.5 kB) from 2 clusters?"
        assert text_of(screen, "#confirm-where").startswith("to the trash")
        assert listed(screen) == ["b.jpg", "x/c [draft].jpg", "e.jpg"]  # brackets kept literally
        assert screen.focused is screen.query_one("#cancel", Button)
        assert not screen.query("#confirm-whole-check")


@pytest.mark.parametrize("key", ["n", "escape", "q"])
async def test_n_escape_and_q_cancel(key: str) -> None:
    app = Host(make_plan(["b.jpg"]))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert app.answers == [None]
        assert not isinstance(app.screen, ConfirmDeleteScreen)


async def test_enter_on_the_focused_cancel_button_cancels() -> None:
    app = Host(make_plan(["b.jpg"]))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers == [None]


async def test_y_confirms() -> None:
    app = Host(make_plan(["b.jpg"]))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        (answer,) = app.answers  # the plan itself comes back: the one to execute
        assert answer is not None and [s.path.name for s in answer.files] == ["b.jpg"]


async def test_permanent_deletion_is_worded_and_coloured_as_a_warning() -> None:
    app = Host(make_plan(["b.jpg"], mode="delete"))
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-permanent")
        assert text_of(screen, "#confirm-where") == "permanently — cannot be undone"
        where = screen.query_one("#confirm-where", Static)
        assert where.styles.color == Color.parse(app.get_css_variables()["error"])
        assert where.styles.color != screen.query_one("#confirm-title", Static).styles.color
        assert "Delete forever" in str(screen.query_one("#confirm", Button).label)


async def test_move_names_the_folder() -> None:
    app = Host(make_plan(["b.jpg"], mode="move", move_to="/dupes"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert text_of(app.screen, "#confirm-where").startswith("moved to /dupes")
        assert app.screen.plan.mode is DeletionMode.MOVE


async def test_protected_files_are_named_as_left_out() -> None:
    app = Host(make_plan(["a.jpg", "b.jpg"], protected={ROOT / "b.jpg"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert listed(app.screen) == ["a.jpg"]
        assert "1 protected file left out: b.jpg" in text_of(app.screen, "#confirm-where")


async def test_whole_cluster_is_warned_and_left_out_without_second_confirmation() -> None:
    app = Host(make_plan(["b.jpg", "d.jpg", "e.jpg"]))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        warnings = [str(s.render()) for s in screen.query("#confirm-whole Static")]
        assert "1 cluster would lose every photo" in warnings[0] and "left out" in warnings[0]
        assert warnings[1:] == ["⚠ no copy left of: d.jpg, e.jpg"]
        assert text_of(screen, "#confirm-title") == "Trash 1 file (1.5 kB) from 1 cluster?"
        assert listed(screen) == ["b.jpg"]
        await pilot.press("y")
        await pilot.pause()
        (answer,) = app.answers
        assert [s.path.name for s in answer.files] == ["b.jpg"]


async def test_whole_cluster_included_after_w() -> None:
    app = Host(make_plan(["b.jpg", "d.jpg", "e.jpg"]))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("w")
        await pilot.pause()
        assert screen.query_one("#confirm-whole-check", Checkbox).value
        assert text_of(screen, "#confirm-title") == "Trash 3 files (4.5 kB) from 2 clusters?"
        assert listed(screen) == ["b.jpg", "d.jpg", "e.jpg"]
        await pilot.press("w")  # and out again
        await pilot.pause()
        assert listed(screen) == ["b.jpg"]
        await pilot.press("w", "y")
        await pilot.pause()
        (answer,) = app.answers
        assert answer.allow_whole_clusters
        assert {s.path.name for s in answer.files} == {"b.jpg", "d.jpg", "e.jpg"}


async def test_only_whole_clusters_marked_cannot_confirm_without_the_box() -> None:
    app = Host(make_plan(["d.jpg", "e.jpg"]))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#confirm", Button).disabled
        await pilot.press("y")
        await pilot.pause()
        assert app.answers == [] and isinstance(app.screen, ConfirmDeleteScreen)
        await pilot.press("w", "y")
        await pilot.pause()
        assert [len(answer.files) for answer in app.answers] == [2]


async def test_a_plan_built_with_whole_clusters_still_asks_again() -> None:
    """The screen is the second confirmation: a pre-confirmed plan starts with the box clear."""
    app = Host(make_plan(["d.jpg", "e.jpg"], allow_whole_clusters=True))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        assert app.screen.plan.files == ()


def test_every_binding_has_a_description_and_an_id() -> None:
    for binding in ConfirmDeleteScreen.BINDINGS:
        assert binding.description and binding.id  # type: ignore[union-attr]


async def test_progress_and_report_tell_what_happened() -> None:
    results = [
        FileResult(ROOT / "b.jpg", 1500, Outcome.TRASHED),
        FileResult(ROOT / "x/c [draft].jpg", 1500, Outcome.SKIPPED, "changed since scan"),
    ]

    class ProgressHost(App[None]):
        def compose(self):
            yield DeletionProgress(2, ROOT, id="progress")

    app = ProgressHost()
    async with app.run_test() as pilot:
        widget = app.query_one(DeletionProgress)
        widget.advance(2, 2, results[1])
        await pilot.pause()
        shown = str(widget.query_one("#deletion-current", Static).render())
        assert shown == "2 of 2: skipped x/c [draft].jpg (changed since scan)"
    report = DeletionReport("b1", DeletionMode.TRASH, tuple(results), journal_path=Path("/j"))
    assert report_text(report, ROOT).plain.splitlines() == [
        "1 file to the trash (1.5 kB); 1 skipped",
        "skipped: x/c [draft].jpg — changed since scan",
        "journal: /j",
    ]


async def test_files_of_several_folders_are_named_as_the_tree_names_them() -> None:
    """Second and later folders' files were listed with absolute paths (found trying it)."""
    other = Path("/other")
    theirs = Summary(other / "b.jpg", bytes(768), 10, 10, "JPEG", 1500, 0)
    pair = Cluster((Member(summary("a.jpg"), 0.0), Member(theirs, 0.01)))
    plan = plan_deletion([theirs], [pair], root=ROOT, roots=(ROOT, other))
    app = Host(plan)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert listed(app.screen) == ["2:b.jpg"]


def test_the_report_names_each_folders_files_as_the_tree_does() -> None:
    """After a batch over two folders, a failed `1:IMG_0001.jpg` and `2:IMG_0001.jpg` were
    listed as `IMG_0001.jpg` and an absolute path (found trying it)."""
    other = Path("/other")
    results = [
        FileResult(ROOT / "IMG_0001.jpg", 1500, Outcome.FAILED, "permission denied"),
        FileResult(other / "sub/IMG_0001.jpg", 1500, Outcome.SKIPPED, "changed since scan"),
    ]
    report = DeletionReport("b1", DeletionMode.MOVE, tuple(results))
    assert report_text(report, (ROOT, other)).plain.splitlines()[1:] == [
        "failed: 1:IMG_0001.jpg — permission denied",
        "skipped: 2:sub/IMG_0001.jpg — changed since scan",
    ]
