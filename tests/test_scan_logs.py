"""The log scan of bin/test finds personal data when it is there: a clean result means something."""

from __future__ import annotations

from pathlib import Path

from tests.scan_logs import main


def _values(directory: Path, *lines: str) -> Path:
    directory.mkdir()
    (directory / "gw0.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def test_it_reports_a_name_or_a_phone_number_in_the_log(tmp_path, capsys):
    values = _values(
        tmp_path / "values", "Fatima", "Al-Rashid", "Fatima Al-Rashid", "+964 770 123 4567"
    )
    log = tmp_path / "suite.log"
    log.write_text("INFO pcm.cases opened case 12 for Fatima Al-Rashid\n", encoding="utf-8")
    assert main(["scan", str(log), str(values)]) == 1
    assert "Fatima Al-Rashid" in capsys.readouterr().out

    log.write_text("WARNING pcm.x could not reach +964 770 123 4567\n", encoding="utf-8")
    assert main(["scan", str(log), str(values)]) == 1


def test_a_clean_log_passes_and_names_inside_other_words_do_not_count(tmp_path):
    values = _values(tmp_path / "values", "Salem", "Karim")
    log = tmp_path / "suite.log"
    log.write_text("INFO pcm.audit 3 events; Salemtown is a place code\n", encoding="utf-8")
    assert main(["scan", str(log), str(values)]) == 0


def test_it_fails_when_nothing_was_recorded_or_logged(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    log = tmp_path / "suite.log"
    log.write_text("", encoding="utf-8")
    assert main(["scan", str(log), str(empty)]) == 1
    values = _values(tmp_path / "values", "Fatima")
    assert main(["scan", str(tmp_path / "missing.log"), str(values)]) == 1
