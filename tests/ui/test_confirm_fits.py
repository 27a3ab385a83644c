"""Every confirmation (trash, move, permanent; with and without whole clusters; long paths)
shows its two answers at 40x10 and at least 8 paths at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Button, OptionList

from simdup_tui.core.cluster import Cluster, Member
from simdup_tui.core.plan import DeletionPlan, plan_deletion
from simdup_tui.core.summary import Summary
from simdup_tui.ui.screens.confirm_delete import ConfirmDeleteScreen

ROOT = Path("/photos/" + "a long folder name/" * 4)
OTHER = Path("/other/" + "another long folder name/" * 3)
LONG = "/mnt/backup drive/" + "duplicates set aside by simdup/" * 4


def summary(root: Path, name: str) -> Summary:
    return Summary(root / name, bytes(768), 10, 10, "JPEG", 1500, 0)


def clusters(count: int) -> list[Cluster]:
    return [
        Cluster(
            (
                Member(summary(ROOT, f"holiday/keeper photo number {n:02}.jpg"), 0.0),
                Member(summary(OTHER, f"phone/WhatsApp Images/duplicate {n:02}.jpg"), 0.01),
            )
        )
        for n in range(count)
    ]


def plan_for(mode: str, whole: bool) -> DeletionPlan:
    many = clusters(30)
    marked = [cluster.others[0].summary for cluster in many]
    if whole:  # two clusters whose every photo is marked, and a marked keeper
        marked += [m.summary for c in many[:2] for m in c.members] + [many[5].keeper]
    return plan_deletion(
        marked,
        many,
        mode=mode,
        root=ROOT,
        roots=(ROOT, OTHER),
        move_to=LONG if mode == "move" else None,
    )


VARIANTS = [(mode, whole) for mode in ("trash", "move", "delete") for whole in (False, True)]


class Host(App[None]):
    def __init__(self, plan: DeletionPlan) -> None:
        super().__init__()
        self.plan = plan

    def on_mount(self) -> None:
        self.push_screen(ConfirmDeleteScreen(self.plan, ROOT))


@pytest.mark.parametrize(("mode", "whole"), VARIANTS)
async def test_at_40x10_both_answers_are_on_screen(mode: str, whole: bool) -> None:
    app = Host(plan_for(mode, whole))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConfirmDeleteScreen)
        assert bool(screen.query("#confirm-whole-check")) is whole
        inside = screen.query_one("ConfirmDeleteScreen > Vertical").content_region
        for button in screen.query(Button):
            region = button.region
            assert region.height >= 1 and region.width >= len(str(button.label)) + 2
            assert 0 <= region.x and region.right <= 40, (button.id, region)
            assert 0 <= region.y and region.bottom <= 9, (button.id, region)  # above the footer
            assert inside.contains_region(region), (button.id, region, inside)  # not clipped


@pytest.mark.parametrize(("mode", "whole"), VARIANTS)
async def test_at_80x24_at_least_8_paths_show(mode: str, whole: bool) -> None:
    app = Host(plan_for(mode, whole))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        files = screen.query_one("#confirm-files", OptionList)
        assert files.scrollable_content_region.height >= 8
        for button in screen.query(Button):
            assert button.region.bottom <= 23 and button.region.right <= 80
