"""One rule for output files (issue 10, items 10, 19, 21, 22; README "Output files")."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess

import pytest

from app import cli_export
from app.cli import main
from conftest import SAMPLES, SHARED

PEACE = str(SAMPLES / "peace-process.bwplan")
MINIMAL = str(SHARED / "examples" / "minimal.bwplan")
SD = str(SHARED / "peers" / "silverdecisions" / "sample-tree.json")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def writers(out: str) -> list[list[str]]:
    """Every command that writes a file, aimed at ``out``."""
    return [["export", PEACE, "--format", "csv", "-o", out], ["new", "blank", "-o", out],
            ["merge", MINIMAL, MINIMAL, MINIMAL, "-o", out], ["import", SD, "-o", out]]


@pytest.mark.parametrize("out", ["", ".", "/", "sub/"])
def test_a_folder_name_is_refused_in_words_not_a_traceback(capsys, tmp_path, monkeypatch, out):
    monkeypatch.chdir(tmp_path)
    for argv in writers(out):
        code, _, err = run(capsys, *argv)
        assert code == 2, argv
        assert f"-o {out!r}: give a file name, not a folder" in err, argv
        assert "Traceback" not in err and "empty name" not in err
    assert list(tmp_path.iterdir()) == []  # no file called "sub"


def test_a_missing_folder_is_never_created(capsys, tmp_path):
    target = tmp_path / "missing" / "x.png"
    for argv in (writers(str(tmp_path / "missing" / "x"))
                 + [["present", MINIMAL, "--screenshot", str(target)]]):
        code, _, err = run(capsys, *argv)
        assert code == 2 and "does not exist (it is not created)" in err, argv
    from app.main import main as branchwise

    assert branchwise([MINIMAL, "--screenshot", str(target)]) == 2  # the window follows the rule too
    assert "does not exist (it is not created)" in capsys.readouterr().err
    assert not (tmp_path / "missing").exists()


def test_an_existing_plan_is_replaced_and_kept_as_a_backup(capsys, tmp_path):
    out = tmp_path / "plan.bwplan"
    out.write_text("the old plan")
    assert run(capsys, "import", SD, "-o", str(out))[0] == 0
    assert (tmp_path / "plan.bwplan~").read_text() == "the old plan"
    imported = out.read_text()
    assert json.loads(imported)["format"] == "branchwise-plan"
    assert run(capsys, "merge", MINIMAL, MINIMAL, MINIMAL, "-o", str(out))[0] == 0
    assert (tmp_path / "plan.bwplan~").read_text() == imported


def test_the_format_comes_from_the_extension_and_a_mismatch_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "export", PEACE, "--format", "pdf", "-o", str(tmp_path / "x.html"))
    assert code == 2
    assert "the name ends in .html but --format is pdf" in err
    assert list(tmp_path.iterdir()) == []
    assert run(capsys, "export", PEACE, "-o", str(tmp_path / "x.html"))[0] == 0
    assert (tmp_path / "x.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_only_a_regular_file_is_replaced(capsys, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    link = tmp_path / "null.csv"
    link.symlink_to(os.devnull)
    for target in (fifo, folder, link, "/dev/stdout"):
        code, _, err = run(capsys, "export", PEACE, "--format", "csv", "-o", str(target))
        assert code == 2, target
        assert "only a regular file is replaced" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and folder.is_dir() and link.is_symlink()
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.csv", "null.csv", "pipe.csv"]


def test_a_link_to_a_regular_file_replaces_the_file_not_the_link(capsys, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert run(capsys, "export", PEACE, "-o", str(link))[0] == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8-sig").startswith("track,branch,")


def test_the_temporary_file_is_unique_and_never_an_existing_one(capsys, tmp_path):
    squatter = tmp_path / ".out.csv.tmp"  # the old fixed temporary name
    squatter.write_text("someone else's file")
    assert run(capsys, "export", PEACE, "-o", str(tmp_path / "out.csv"))[0] == 0
    assert squatter.read_text() == "someone else's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.csv.tmp", "out.csv"]


def test_dash_writes_text_formats_to_standard_output(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "export", PEACE, "--format", "dot", "-o", "-")
    assert code == 0 and out.startswith("digraph plan {") and 'label="Northern Peninsula talks"' in out
    code, out, _ = run(capsys, "new", "blank", "-o", "-")
    assert code == 0 and json.loads(out)["format"] == "branchwise-plan"
    code, _, err = run(capsys, "export", PEACE, "--format", "png", "-o", "-")
    assert code == 2 and "png is not a text format" in err
    assert list(tmp_path.iterdir()) == []


def test_a_truncated_picture_never_replaces_a_good_file(capsys, tmp_path, monkeypatch):
    out = tmp_path / "tree.svg"
    out.write_text("<svg>the good picture</svg>")
    real = cli_export._write_svg

    def disk_full(plan, track_ids, path, *rest):  # what Qt's SVG writer leaves on a full disk
        real(plan, track_ids, path, *rest)
        with open(path, "r+b") as handle:
            handle.truncate(os.path.getsize(path) // 2)

    monkeypatch.setattr(cli_export, "_write_svg", disk_full)
    code, out_text, err = run(capsys, "export", PEACE, "--format", "svg", "-o", str(out))
    assert code == 2 and "written" not in out_text
    assert "incomplete" in err and "nothing replaced" in err
    assert out.read_text() == "<svg>the good picture</svg>"
    assert [p.name for p in tmp_path.iterdir()] == ["tree.svg"]


def test_the_writer_checks_reported_size_and_emptiness(tmp_path):
    from app.output import OutputError, Reported, write_output

    target = tmp_path / "out.bin"
    target.write_bytes(b"good")
    with pytest.raises(OutputError, match="3 of 10 bytes"):
        write_output(target, lambda tmp: (tmp.write_bytes(b"abc"), Reported(10))[1])
    with pytest.raises(OutputError, match="empty"):
        write_output(target, lambda tmp: None)
    with pytest.raises(OutputError, match="incomplete"):
        write_output(target, lambda tmp: tmp.write_bytes(b"x"), validate=lambda tmp: int("not whole"))
    assert target.read_bytes() == b"good" and [p.name for p in tmp_path.iterdir()] == ["out.bin"]
    write_output(target, lambda tmp: Reported(tmp.write_bytes(b"new")))
    assert target.read_bytes() == b"new"


@pytest.fixture
def full_disk(tmp_path):
    """A 256 KiB tmpfs (root only); skipped where it cannot be mounted."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_a_full_disk_leaves_the_old_export_in_place(capsys, full_disk, fmt):
    out = full_disk / f"brief.{fmt}"
    out.write_bytes(b"the good old file")
    filler = full_disk / "filler"
    with open(filler, "wb", buffering=0) as handle:  # fill the disk up to the last few KiB
        try:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        except OSError:
            pass
    os.truncate(filler, max(0, os.path.getsize(filler) - 8192))
    code, out_text, err = run(capsys, "export", PEACE, "--format", fmt, "-o", str(out))
    assert code == 2, err
    assert "written" not in out_text
    assert out.read_bytes() == b"the good old file"
    assert sorted(p.name for p in full_disk.iterdir()) == [f"brief.{fmt}", "filler"]
