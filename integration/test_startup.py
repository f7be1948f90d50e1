"""Start-up as an operator meets it: --version/--help, and configuration errors that stop the
server with the file, line and reason instead of running with a setting it did not understand."""
import subprocess

import pytest

TIMEOUT = 20


def run(binary, *args, cwd=None):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd)


@pytest.fixture
def vireo(server_binary, is_redis):
    if is_redis:
        pytest.skip("Vireo's own start-up messages")
    return server_binary


def test_version_and_help(vireo):
    version = run(vireo, "--version")
    assert version.returncode == 0
    assert version.stdout.startswith("Vireo server v=")
    assert "Redis 7.0" in version.stdout
    help_ = run(vireo, "--help")
    assert help_.returncode == 0 and "Usage: vireo-server" in help_.stdout


def test_unknown_directive_names_file_line_and_reason(vireo, tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("port 7777\n# a comment\nno-such-directive yes\n")
    result = run(vireo, str(conf))
    assert result.returncode == 1
    assert f"'{conf}', at line 3" in result.stderr
    assert ">>> 'no-such-directive yes'" in result.stderr
    assert "Bad directive or wrong number of arguments" in result.stderr


def test_malformed_value_on_the_command_line(vireo, tmp_path):
    result = run(vireo, "--port", "notanumber", "--dir", str(tmp_path))
    assert result.returncode == 1
    assert "port" in result.stderr and "integer" in result.stderr


def test_missing_dir_stops_start_up(vireo, tmp_path):
    result = run(vireo, "--port", "0", "--dir", str(tmp_path / "absent"))
    assert result.returncode == 1
    assert "absent" in result.stderr + result.stdout


def test_unixsocket_is_refused_not_ignored(vireo, tmp_path):
    result = run(vireo, "--port", "0", "--unixsocket", str(tmp_path / "v.sock"), "--dir", str(tmp_path))
    assert result.returncode == 1
    assert "unixsocket is not supported" in result.stderr
