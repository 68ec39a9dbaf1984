import pytest

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
