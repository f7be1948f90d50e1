"""README.md's supported-command table matches what the server reports."""
import os

import pytest

from readme_commands import README, readme_table, render


def test_readme_command_table_is_true(r, is_redis):
    if is_redis:
        pytest.skip("the table describes Vireo")
    with open(README) as f:
        documented = readme_table(f.read())
    actual = render(r)
    assert documented == actual, (
        "README.md's command table is stale; run "
        "`/usr/bin/python3 integration/readme_commands.py --write`.\nExpected:\n" + actual)
