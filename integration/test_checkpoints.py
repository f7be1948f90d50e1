"""Checkpoints: SAVE, BGSAVE (SCHEDULE), BGREWRITEAOF, LASTSAVE, `save` rules,
the log's automatic rewrite, SHUTDOWN SAVE, start-up from a checkpoint plus
the log after it, and crashes while a checkpoint is written or the log it
covers is removed."""

import os
import random

import pytest
import redis

from helpers import ServerDied, damage_file, keyspace_image, start_or_fail, wait_until
from test_persistence import (crash_under_load, fill_every_type, info, log_dir, records_end, restart,
                              segments)


@pytest.fixture(autouse=True)
def vireo_only(is_redis):
    if is_redis:
        pytest.skip("Vireo's checkpoints")


def checkpoints(srv):
    return sorted(f for f in os.listdir(log_dir(srv)) if f.startswith("checkpoint-"))


def log_bytes(srv):
    """The segments' bytes up to their last records (zero-filled space after
    them is at most 1 MiB a segment)."""
    return sum(records_end(p) for p in segments(srv))


def wait_for_background(c):
    wait_until(lambda: info(c, "rdb_bgsave_in_progress") == "0" and
               info(c, "aof_rewrite_in_progress") == "0", msg="the checkpoint to finish")


@pytest.mark.parametrize("appendonly", ["yes", "no"])
def test_save_then_restart_loads_the_checkpoint(start_server, appendonly):
    srv = start_server(appendonly=appendonly)
    c = srv.client()
    fill_every_type(c)
    before_save = c.lastsave()
    assert int(info(c, "rdb_changes_since_last_save")) > 0
    assert c.save() is True
    assert info(c, "rdb_saves") == "1"
    assert info(c, "rdb_changes_since_last_save") == "0"  # counted up to the SAVE itself
    assert c.lastsave() >= before_save
    assert len(checkpoints(srv)) == 1
    c.set("after-save", "1")  # in the log only (appendonly yes), or lost (no)
    expected = keyspace_image(c)
    srv = restart(srv)
    c = srv.client()
    if appendonly == "no":
        del expected[(0, b"after-save")]
    assert keyspace_image(c) == expected
    assert int(info(c, "rdb_last_load_keys_loaded")) == 11


def test_bgsave_replies_and_info_as_redis(start_server):
    srv = start_server(appendonly="yes")
    r = srv.raw()
    assert r.cmd("BGSAVE", "now") == b"-ERR syntax error\r\n"
    assert r.cmd("BGSAVE") == b"+Background saving started\r\n"
    c = srv.client()
    wait_for_background(c)
    assert info(c, "rdb_last_bgsave_status") == "ok"
    assert info(c, "rdb_saves") == "1"
    assert r.cmd("BGREWRITEAOF") == b"+Background append only file rewriting started\r\n"
    wait_for_background(c)
    assert info(c, "aof_rewrites") == "1"
    assert info(c, "aof_last_bgrewrite_status") == "ok"
    assert r.cmd("MULTI") == b"+OK\r\n"
    assert r.cmd("SAVE") == b"-ERR Command not allowed inside a transaction\r\n"
    assert r.cmd("DISCARD") == b"+OK\r\n"
    assert r.cmd("LASTSAVE").startswith(b":")


def test_info_reports_what_a_background_checkpoint_copied_on_write(start_server):
    srv = start_server(appendonly="yes")
    c = srv.client()
    assert info(c, "rdb_last_cow_size") == "0"
    assert info(c, "aof_last_cow_size") == "0"
    keys, size = 500, 4000
    with c.pipeline(transaction=False) as p:
        for i in range(keys):
            p.set(f"k{i}", b"a" * size)
        p.execute()
    # A slow child (1 ms a key), and every value rewritten meanwhile: each
    # page the parent writes is copied, so the child ends up with its own
    # copy of at least the 2 MB of values.
    c.config_set("rdb-key-save-delay", "1000")
    c.bgsave()
    with c.pipeline(transaction=False) as p:
        for i in range(keys):
            p.set(f"k{i}", b"b" * size)
        p.execute()
    assert info(c, "rdb_bgsave_in_progress") == "1"  # the rewrite happened during the save
    c.config_set("rdb-key-save-delay", "0")
    wait_for_background(c)
    assert info(c, "rdb_last_bgsave_status") == "ok"
    assert int(info(c, "rdb_last_cow_size")) >= keys * size
    assert info(c, "aof_last_cow_size") == "0"
    c.bgrewriteaof()
    wait_for_background(c)
    assert int(info(c, "aof_last_cow_size")) > 0


def test_a_checkpoint_drops_the_log_it_covers(start_server):
    srv = start_server(appendonly="yes")
    c = srv.client()
    for i in range(2000):
        c.set("same", "x" * 100)
    c.set("other", "1")
    before = log_bytes(srv)
    assert before > 2000 * 100
    assert c.bgrewriteaof()
    wait_for_background(c)
    c.set("after", "2")  # starts the next segment, so the covered one can go
    assert c.bgrewriteaof()
    wait_for_background(c)
    assert log_bytes(srv) < 2000
    assert len(checkpoints(srv)) == 1
    srv = restart(srv)
    assert srv.client().mget("same", "other", "after") == [b"x" * 100, b"1", b"2"]


def test_endless_overwrites_keep_the_disk_bounded(start_server):
    srv = start_server(appendonly="yes", auto_aof_rewrite_min_size="64kb",
                       auto_aof_rewrite_percentage=100)
    c = srv.client()
    for round_ in range(6):
        p = c.pipeline(transaction=False)
        for i in range(600):  # about 80 KB of log: past the 64 KB threshold
            p.set(f"k{i % 10}", "v" * 100)
        p.execute()
        wait_until(lambda: int(info(c, "aof_rewrites")) > round_, msg="an automatic rewrite")
        wait_for_background(c)
    c.set("one-more", "1")
    total = log_bytes(srv) + sum(os.path.getsize(os.path.join(log_dir(srv), f))
                                 for f in checkpoints(srv))
    # About 480 KB were logged; what stays is the newest checkpoint, the
    # segment it covers until the next one lands, and the new segment, each
    # with at most 1 MiB of zero-filled space after its records.
    assert total < 2 * 80 * 1024
    assert len(segments(srv)) <= 2
    assert all(os.path.getsize(p) <= records_end(p) + (1 << 20) for p in segments(srv))
    srv = restart(srv)
    assert srv.client().mget("k3", "one-more") == [b"v" * 100, b"1"]


def test_save_rules_take_checkpoints_by_themselves(start_server):
    srv = start_server(appendonly="no", save="1 2")
    c = srv.client()
    c.set("a", 1)
    c.set("b", 2)
    wait_until(lambda: info(c, "rdb_saves") == "1", msg="a checkpoint from `save 1 2`")
    assert info(c, "rdb_changes_since_last_save") == "0"
    srv = restart(srv)
    assert srv.client().mget("a", "b") == [b"1", b"2"]


def test_shutdown_save_and_nosave(start_server):
    srv = start_server(appendonly="no")
    c = srv.client()
    c.set("kept", "1")
    c.shutdown(save=True)  # redis-py expects the connection to close
    assert srv.wait_exit() == 0
    srv = start_or_fail(srv)
    c = srv.client()
    assert c.get("kept") == b"1"
    c.set("dropped", "1")
    c.shutdown(nosave=True)
    assert srv.wait_exit() == 0
    srv = start_or_fail(srv)
    assert srv.client().mget("kept", "dropped") == [b"1", None]


def test_a_damaged_checkpoint_stops_start_up_with_its_name(start_server):
    srv = start_server(appendonly="yes")
    c = srv.client()
    c.set("k", "v")
    c.save()
    srv.stop()
    path = os.path.join(log_dir(srv), checkpoints(srv)[0])
    damage_file(path, lambda data: len(data) // 2, 0x10)
    with pytest.raises(ServerDied) as died:
        srv.start()
    assert "Skipping a damaged checkpoint" in str(died.value)
    assert checkpoints(srv)[0] in str(died.value)
    assert "No checkpoint in appendonlydir could be loaded" in str(died.value)


def test_sigkill_during_checkpoints_and_log_removal_loses_nothing(start_server, capsys):
    """Crashes while background checkpoints are written and while the log
    they cover is removed, under a transactional write load."""
    srv = start_server(appendonly="yes", appendfsync="always", rdb_key_save_delay=200)
    rng = random.Random(9)
    kills = 0
    for round_ in range(20):
        c = srv.client()
        for i in range(300):
            c.set(f"bulk:{round_}:{i}", i)  # keys for the child to take its time over

        def rewrite(client):
            try:
                client.execute_command("BGREWRITEAOF")
            except redis.ResponseError:
                pass  # one may still be running from the last round: fine

        srv, c = crash_under_load(srv, round_, rng, writers=3, before_crash=rewrite)
        kills += 1
        assert not [f for f in os.listdir(log_dir(srv)) if f.endswith(".tmp")]
        assert c.get(f"bulk:{round_}:299") == b"299"
    with capsys.disabled():
        print(f"\n[crash test] survived {kills} SIGKILLs during checkpoints and log removal")
    assert kills >= 20
