"""Dialogs show their own keys; the confirmation fits small terminals and reads without colour;
help is built from the live key bindings."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Footer, OptionList

from simdup_tui.core.cluster import Cluster, Member
from simdup_tui.core.plan import DeletionPlan, plan_deletion
from simdup_tui.core.summary import Summary
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.screens.confirm_delete import ConfirmDeleteScreen
from simdup_tui.ui.screens.help import EXPLAIN, HelpScreen, help_rows
from simdup_tui.ui.widgets.state_checkbox import StateCheckbox

from .helpers import make_config, settle

ROOT = Path("/photos")


def many_clusters(count: int) -> list[Cluster]:
    def summary(name: str) -> Summary:
        return Summary(ROOT / name, bytes(768), 10, 10, "JPEG", 1500, 0)

    return [
        Cluster((Member(summary(f"k{n:02}.jpg"), 0.0), Member(summary(f"dup{n:02}.jpg"), 0.01)))
        for n in range(count)
    ]


class Host(App[None]):
    def __init__(self, plan: DeletionPlan) -> None:
        super().__init__()
        self.plan = plan

    def on_mount(self) -> None:
        self.push_screen(ConfirmDeleteScreen(self.plan, ROOT))


def footer_keys(screen) -> list[str]:
    return [key.key for key in screen.query_one(Footer).query("FooterKey")]


async def test_the_confirmation_lists_as_many_paths_as_fit_and_its_keys() -> None:
    clusters = many_clusters(30)
    plan = plan_deletion([c.others[0].summary for c in clusters], clusters, mode="trash", root=ROOT)
    app = Host(plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        files = app.screen.query_one("#confirm-files", OptionList)
        assert files.scrollable_content_region.height >= 8
        assert {"y", "n"} <= set(footer_keys(app.screen))  # the dialog's keys, not the tree's


async def test_at_40x10_the_confirmation_still_shows_its_two_answers() -> None:
    clusters = many_clusters(30)
    plan = plan_deletion([c.others[0].summary for c in clusters], clusters, mode="trash", root=ROOT)
    app = Host(plan)
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        keys = [key for key in app.screen.query_one(Footer).query("FooterKey") if key.key in "yn"]
        assert len(keys) == 2 and all(0 < k.region.right <= 40 for k in keys)
        assert all(k.region.y == 9 for k in keys)  # on the last line, in view
        await pilot.press("n")
        assert not isinstance(app.screen, ConfirmDeleteScreen)


async def test_the_whole_cluster_box_is_empty_when_off() -> None:
    clusters = many_clusters(1)
    every = [m.summary for m in clusters[0].members]
    plan = plan_deletion(every, clusters, mode="trash", root=ROOT)
    app = Host(plan)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        box = app.screen.query_one(StateCheckbox)
        assert "▐ ▌" in box.render().plain and "no, left out" in str(box.label)
        await pilot.press("w")
        await pilot.pause()
        assert "▐X▌" in box.render().plain and "YES, included" in str(box.label)


async def test_help_is_built_from_the_live_key_bindings(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        app.set_keymap({"mark.cluster": "b", "view.compare": "o"})
        await pilot.pause()
        rows = help_rows(app.screen.active_bindings, app.get_key_display)
        keys = {what: key for _, key, what in rows}
        assert keys[EXPLAIN["mark.cluster"]] == "b"
        assert "not photos that look different up close" in EXPLAIN["mark.cluster"]
        assert keys["the photo beside its keeper, as large as the terminal allows"] == "o"
        assert keys["delete marked photos to the trash, or --move-to (asks first)"] == "d, del, f8"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "escape" in footer_keys(app.screen)
