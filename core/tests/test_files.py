import os
import threading

import pytest

from core import files
from core.files import write_atomically


def test_file_keeps_its_old_content_until_the_new_one_is_complete(tmp_path):
    target = tmp_path / "claims.json"
    target.write_text("old", encoding="utf-8")
    seen_meanwhile = []

    def chunks():
        yield "new, "
        seen_meanwhile.append(target.read_text(encoding="utf-8"))
        yield "complete"

    write_atomically(target, chunks())

    assert seen_meanwhile == ["old"]
    assert target.read_text(encoding="utf-8") == "new, complete"
    assert [path.name for path in tmp_path.iterdir()] == ["claims.json"]


def test_file_whose_writing_fails_is_not_created_and_leaves_nothing_behind(tmp_path):
    def chunks():
        yield "half a document"
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_atomically(tmp_path / "claims.json", chunks())

    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="the system has no posix_fadvise")
def test_long_file_is_written_out_as_it_grows_and_arrives_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "WRITE_OUT_EVERY", 10)
    asked = []
    advise = os.posix_fadvise

    def recording_advise(descriptor, start, length, advice):
        # What the system is asked to write out must already be in the file, not in a buffer.
        asked.append((start, length, os.fstat(descriptor).st_size))
        advise(descriptor, start, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", recording_advise)
    chunks = ["核查" * 3, "abcdef", b"0123456789ab", "x"]

    write_atomically(tmp_path / "claims.jsonl", chunks)

    expected = "核查" * 3 + "abcdef0123456789abx"
    assert (tmp_path / "claims.jsonl").read_text(encoding="utf-8") == expected
    # 18 bytes of Chinese, then 6 (24), then 12 (36): two windows, each from where the last
    # ended; the last byte is left to the final flush.
    assert asked == [(0, 18, 18), (18, 18, 36)]


def test_a_pipe_is_written_into_not_replaced(tmp_path):
    pipe = tmp_path / "export.jsonl"
    os.mkfifo(pipe)
    read = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_bytes()), daemon=True)
    reader.start()

    write_atomically(pipe, ["第一行\n", b"second\n"])
    reader.join(timeout=10)

    assert read == ["第一行\nsecond\n".encode()]
    assert pipe.is_fifo()
    assert [path.name for path in tmp_path.iterdir()] == ["export.jsonl"]
