"""Set commands through redis-py, and the set-max-* settings."""

import pytest
import redis

SET_COMMANDS = ("SADD", "SREM", "SISMEMBER", "SMISMEMBER", "SMEMBERS", "SCARD", "SPOP",
                "SRANDMEMBER", "SMOVE", "SINTER", "SINTERCARD", "SINTERSTORE", "SUNION",
                "SUNIONSTORE", "SDIFF", "SDIFFSTORE", "SSCAN")

pytestmark = pytest.mark.container_types(*SET_COMMANDS)


@pytest.fixture
def intset_limit(rd):
    old = rd.config_get("set-max-intset-entries")["set-max-intset-entries"]
    yield
    rd.config_set("set-max-intset-entries", old)


def test_add_remove_and_membership(rd):
    assert rd.sadd("s", "a", "b", "c", "a") == 3
    assert rd.scard("s") == 3
    assert rd.smembers("s") == {"a", "b", "c"}
    assert rd.sismember("s", "a") is True
    assert rd.smismember("s", ["a", "z"]) == [1, 0]
    assert rd.srem("s", "a", "z") == 1
    assert rd.srem("s", "b", "c") == 2
    assert rd.exists("s") == 0
    assert rd.type("s") == "none"


def test_spop_and_srandmember(rd):
    rd.sadd("s", *range(10))
    popped = rd.spop("s", 3)
    assert len(popped) == 3 and rd.scard("s") == 7
    assert not rd.smembers("s") & set(popped)
    one = rd.spop("s")
    assert one not in rd.smembers("s")
    assert rd.srandmember("s") in rd.smembers("s")
    assert len(set(rd.srandmember("s", 4))) == 4
    assert len(rd.srandmember("s", -20)) == 20
    remaining = rd.smembers("s")
    assert set(rd.spop("s", 100)) == remaining
    assert rd.exists("s") == 0
    assert rd.spop("s") is None
    with pytest.raises(redis.ResponseError, match="must be positive"):
        rd.spop("s", -1)


def test_algebra_and_store(rd):
    rd.sadd("a", 1, 2, 3, 4)
    rd.sadd("b", 3, 4, "x")
    assert rd.sinter("a", "b") == {"3", "4"}
    assert rd.sunion("a", "b") == {"1", "2", "3", "4", "x"}
    assert rd.sdiff("a", "b") == {"1", "2"}
    assert rd.sintercard(2, ["a", "b"]) == 2
    assert rd.sintercard(2, ["a", "b"], limit=1) == 1
    assert rd.sunionstore("u", "a", "b") == 5
    assert rd.smembers("u") == {"1", "2", "3", "4", "x"}
    assert rd.sinterstore("u", "a", "nokey") == 0
    assert rd.exists("u") == 0
    assert rd.sdiffstore("d", "a", "b") == 2
    assert rd.object("encoding", "d") == "intset"
    assert rd.smove("a", "b", 1) is True
    assert rd.smove("a", "b", 1) is False
    assert rd.sismember("b", 1)


def test_wrong_type(rd):
    rd.set("str", "v")
    for call in (lambda: rd.sadd("str", "a"), lambda: rd.smembers("str"),
                 lambda: rd.sinter("nokey", "str"), lambda: rd.sscan("str")):
        with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
            call()


def test_sscan_covers_a_large_set(rd):
    members = {f"m{i}" for i in range(2000)}
    rd.sadd("s", *members)
    assert rd.object("encoding", "s") == "hashtable"
    seen = set(rd.sscan_iter("s", count=50))
    assert seen == members
    assert set(rd.sscan_iter("s", match="m1??")) == {f"m{i}" for i in range(100, 200)}


def test_config_set_intset_limit(rd, intset_limit):
    rd.config_set("set-max-intset-entries", 3)
    assert rd.config_get("set-max-intset-entries") == {"set-max-intset-entries": "3"}
    rd.sadd("s", 1, 2, 3)
    assert rd.object("encoding", "s") == "intset"
    rd.sadd("s", 4)
    assert rd.object("encoding", "s") == "hashtable"
    rd.config_set("set-max-intset-entries", 512)
    rd.sadd("t", *range(500))
    assert rd.object("encoding", "t") == "intset"
    # One way: a set that outgrew the intset stays a hashtable.
    rd.srem("s", 4)
    assert rd.object("encoding", "s") == "hashtable"


def test_copy_and_rename_keep_sets(rd):
    rd.sadd("s", "a", 1)
    assert rd.copy("s", "c")
    rd.rename("c", "r")
    assert rd.smembers("r") == {"a", "1"}
    assert rd.type("r") == "set"
