"""Pub/sub: SUBSCRIBE PSUBSCRIBE SSUBSCRIBE and their unsubscribes, PUBLISH,
SPUBLISH, PUBSUB, through redis-py's pubsub() API and raw sockets (exact
bytes, RESP3 pushes, subscribed mode), the pubsub output-buffer class, and
keyspace notifications delivered to subscribers.

Every wait is a poll (get_message with a timeout, wait_until on PUBSUB NUMSUB
or INFO), never a sleep.
"""

import socket
import threading
import time

import pytest
import redis

from helpers import encode_command, parse_reply, wait_until

SUBSCRIBED_MODE_ERROR = (
    b"-ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
    b" are allowed in this context\r\n"
)


def bulk(s):
    s = s.encode() if isinstance(s, str) else s
    return b"$%d\r\n%s\r\n" % (len(s), s)


def frame(kind, *fields, resp3=False, count=None):
    """A confirmation (kind, name, count) or a message (kind, fields...)."""
    head = b">" if resp3 else b"*"
    items = [bulk(kind)]
    for f in fields:
        if f is None:
            items.append(b"_\r\n" if resp3 else b"$-1\r\n")
        else:
            items.append(bulk(f))
    if count is not None:
        items.append(b":%d\r\n" % count)
    return head + b"%d\r\n" % len(items) + b"".join(items)


def next_message(p, timeout=10.0):
    """The next message (not a confirmation) from a redis-py PubSub, or fail.
    (get_message returns None at once when what it read was an ignored
    confirmation, hence the loop.)"""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = p.get_message(ignore_subscribe_messages=True, timeout=deadline - time.monotonic())
        if msg is not None:
            return msg
    raise AssertionError("no message arrived")


def unsubscribe_everything(c, command, n):
    """Sends a bare (P|S)UNSUBSCRIBE and reads its n confirmations: (sorted
    names, counts in arrival order)."""
    c.send(encode_command(command))
    names, counts = [], []
    for rep in c.read_replies(n):
        (t, (kind, name, count)), rest = parse_reply(rep)
        assert t == b"*" and rest == b"" and kind == (b"$", command.lower().encode())
        names.append(name[1])
        counts.append(int(count[1]))
    return sorted(names), counts


def numsub(r, channel):
    return dict(r.pubsub_numsub(channel))[channel.encode() if isinstance(channel, str) else channel]


# --- redis-py pubsub() ----------------------------------------------------------


def test_subscribe_publish_and_get_message(r):
    p = r.pubsub()
    p.subscribe("news")
    confirmation = p.get_message(timeout=10)
    assert confirmation == {"type": "subscribe", "pattern": None, "channel": b"news", "data": 1}
    assert r.publish("news", "hello") == 1
    assert next_message(p) == {"type": "message", "pattern": None, "channel": b"news",
                               "data": b"hello"}
    assert r.publish("elsewhere", "x") == 0
    p.unsubscribe("news")
    assert p.get_message(timeout=10)["type"] == "unsubscribe"
    assert r.publish("news", "again") == 0
    p.close()


def test_patterns_and_channels_both_deliver(rd):
    p = rd.pubsub()
    p.psubscribe("news.*")
    p.subscribe("news.art")
    assert p.get_message(timeout=10)["data"] == 1
    assert p.get_message(timeout=10)["data"] == 2
    # One delivery per subscription: the channel first, then the pattern.
    assert rd.publish("news.art", "m") == 2
    assert next_message(p) == {"type": "message", "pattern": None, "channel": "news.art",
                               "data": "m"}
    assert next_message(p) == {"type": "pmessage", "pattern": "news.*", "channel": "news.art",
                               "data": "m"}
    assert rd.publish("news.sport", "s") == 1
    assert next_message(p)["channel"] == "news.sport"
    p.close()


def test_listen_yields_messages_in_publish_order(r):
    p = r.pubsub(ignore_subscribe_messages=True)
    p.subscribe("q")
    wait_until(lambda: numsub(r, "q") == 1, msg="the subscription")
    for i in range(50):
        r.publish("q", str(i))
    got = []
    for msg in p.listen():
        if msg is None or msg["type"] != "message":
            continue
        got.append(int(msg["data"]))
        if len(got) == 50:
            break
    assert got == list(range(50))
    p.close()


def test_handlers_in_a_thread(r):
    seen = []
    done = threading.Event()

    def handler(msg):
        seen.append(msg["data"])
        if len(seen) == 3:
            done.set()

    p = r.pubsub()
    p.subscribe(**{"jobs": handler})
    worker = p.run_in_thread(sleep_time=0.01, daemon=True)
    try:
        wait_until(lambda: numsub(r, "jobs") == 1, msg="the subscription")
        for job in (b"a", b"b", b"c"):
            assert r.publish("jobs", job) == 1
        assert done.wait(10)
        assert seen == [b"a", b"b", b"c"]
    finally:
        worker.stop()
        worker.join(10)
        p.close()


def test_many_subscribers_each_receive_every_message(r, server):
    subs = []
    for _ in range(20):
        c = redis.Redis(host="127.0.0.1", port=server.port, socket_timeout=10)
        p = c.pubsub(ignore_subscribe_messages=True)
        p.subscribe("fan")
        subs.append((c, p))
    wait_until(lambda: numsub(r, "fan") == 20, msg="20 subscriptions")
    assert r.publish("fan", "one") == 20
    assert r.publish("fan", "two") == 20
    for c, p in subs:
        assert next_message(p)["data"] == b"one"
        assert next_message(p)["data"] == b"two"
        p.close()
        c.close()


def test_pubsub_introspection(r, server):
    other = redis.Redis(host="127.0.0.1", port=server.port, socket_timeout=10)
    p1, p2 = r.pubsub(), other.pubsub()
    p1.subscribe("a", "b", "c")
    p2.subscribe("a")
    p1.psubscribe("x*", "y*")
    p2.psubscribe("x*")
    wait_until(lambda: r.pubsub_numpat() == 2, msg="the pattern subscriptions")
    assert sorted(r.pubsub_channels()) == [b"a", b"b", b"c"]
    assert sorted(r.pubsub_channels("[ab]")) == [b"a", b"b"]
    assert r.pubsub_channels("") == []
    assert r.pubsub_numsub("a", "b", "zz", "a") == [(b"a", 2), (b"b", 1), (b"zz", 0), (b"a", 2)]
    assert r.pubsub_numsub() == []
    # Distinct patterns, not subscriptions to them.
    assert r.pubsub_numpat() == 2
    stats = r.info("stats")
    assert (stats["pubsub_channels"], stats["pubsub_patterns"], stats["pubsubshard_channels"]) == (
        3, 2, 0)
    p1.close()
    p2.close()
    other.close()
    wait_until(lambda: r.pubsub_numpat() == 0 and r.pubsub_channels() == [],
               msg="closing subscribers to drop their subscriptions")


# --- Exact bytes --------------------------------------------------------------------


def test_confirmations_count_channels_and_patterns_together(raw):
    c = raw()
    c.send(encode_command("SUBSCRIBE", "a", "b", "a"))
    assert c.read_replies(3) == [frame("subscribe", "a", count=1), frame("subscribe", "b", count=2),
                                 frame("subscribe", "a", count=2)]
    assert c.cmd("PSUBSCRIBE", "h*") == frame("psubscribe", "h*", count=3)
    # Shard channels are counted on their own.
    c.send(encode_command("SSUBSCRIBE", "s1", "s2"))
    assert c.read_replies(2) == [frame("ssubscribe", "s1", count=1),
                                 frame("ssubscribe", "s2", count=2)]
    assert c.cmd("UNSUBSCRIBE", "b", "nope") == frame("unsubscribe", "b", count=2)
    assert c.read_reply() == frame("unsubscribe", "nope", count=2)
    assert c.cmd("PUNSUBSCRIBE") == frame("punsubscribe", "h*", count=1)
    # Unsubscribing from everything confirms each (in an order Redis leaves to
    # its hash table), counting down.
    assert unsubscribe_everything(c, "SUNSUBSCRIBE", 2) == ([b"s1", b"s2"], [1, 0])
    assert c.cmd("UNSUBSCRIBE") == frame("unsubscribe", "a", count=0)
    # From nothing: one confirmation with a nil name.
    for kind in ("unsubscribe", "punsubscribe", "sunsubscribe"):
        assert c.cmd(kind.upper()) == frame(kind, None, count=0)
    assert c.cmd("PING") == b"+PONG\r\n"  # out of subscribed mode


def test_unsubscribe_from_everything_counts_down(raw):
    c = raw()
    c.send(encode_command("SUBSCRIBE", "x", "y", "z"))
    c.read_replies(3)
    c.cmd("PSUBSCRIBE", "p1")
    assert c.cmd("PSUBSCRIBE", "p2") == frame("psubscribe", "p2", count=5)
    assert unsubscribe_everything(c, "UNSUBSCRIBE", 3) == ([b"x", b"y", b"z"], [4, 3, 2])
    assert unsubscribe_everything(c, "PUNSUBSCRIBE", 2) == ([b"p1", b"p2"], [1, 0])
    assert c.cmd("PING") == b"+PONG\r\n"


def test_messages_exact_bytes(raw):
    sub, pub = raw(), raw()
    sub.cmd("SUBSCRIBE", "ch")
    sub.cmd("PSUBSCRIBE", "c*")
    sub.cmd("SSUBSCRIBE", "ch")
    assert pub.cmd("PUBLISH", "ch", "hi\r\nthere") == b":2\r\n"
    assert sub.read_reply() == frame("message", "ch", "hi\r\nthere")
    assert sub.read_reply() == frame("pmessage", "c*", "ch", "hi\r\nthere")
    assert pub.cmd("SPUBLISH", "ch", "") == b":1\r\n"
    assert sub.read_reply() == frame("smessage", "ch", "")
    assert pub.cmd("SPUBLISH", "nobody", "x") == b":0\r\n"
    assert pub.cmd("PUBLISH", "ch", "") == b":2\r\n"
    assert sub.read_reply() == frame("message", "ch", "")


def test_pubsub_replies_and_errors(raw):
    sub, c = raw(), raw()
    sub.cmd("SSUBSCRIBE", "s1")
    assert c.cmd("PUBSUB", "SHARDCHANNELS") == b"*1\r\n" + bulk("s1")
    assert c.cmd("PUBSUB", "SHARDCHANNELS", "x*") == b"*0\r\n"
    assert c.cmd("PUBSUB", "SHARDNUMSUB", "s1", "zz") == b"*4\r\n" + bulk("s1") + b":1\r\n" + \
        bulk("zz") + b":0\r\n"
    assert c.cmd("PUBSUB", "NUMSUB", "s1") == b"*2\r\n" + bulk("s1") + b":0\r\n"
    assert c.cmd("PUBSUB", "CHANNELS") == b"*0\r\n"
    assert c.cmd("PUBSUB", "NUMPAT") == b":0\r\n"
    assert c.cmd("PUBSUB") == b"-ERR wrong number of arguments for 'pubsub' command\r\n"
    assert c.cmd("PUBSUB", "foo") == b"-ERR unknown subcommand 'foo'. Try PUBSUB HELP.\r\n"
    for sub_name in ("channels", "SHARDCHANNELS"):
        assert c.cmd("PUBSUB", sub_name, "a", "b") == (
            b"-ERR unknown subcommand or wrong number of arguments for '%s'. Try PUBSUB HELP.\r\n"
            % sub_name.encode())
    assert c.cmd("PUBSUB", "NUMPAT", "x") == \
        b"-ERR wrong number of arguments for 'pubsub|numpat' command\r\n"
    for cmd in (("PUBLISH", "a"), ("PUBLISH", "a", "b", "c"), ("SPUBLISH", "a"), ("SUBSCRIBE",),
                ("PSUBSCRIBE",), ("SSUBSCRIBE",)):
        assert c.cmd(*cmd) == b"-ERR wrong number of arguments for '%s' command\r\n" % \
            cmd[0].lower().encode()
    help_reply = c.cmd("PUBSUB", "HELP")
    (t, lines), _ = parse_reply(help_reply)
    assert t == b"*" and all(line[0] == b"+" for line in lines)
    assert b"".join(line[1] for line in lines).count(b"SHARDNUMSUB") == 1


# --- RESP3 --------------------------------------------------------------------------


def test_resp3_confirmations_and_messages_are_pushes(raw):
    sub, pub = raw(), raw()
    sub.cmd("HELLO", "3")
    assert sub.cmd("SUBSCRIBE", "a") == frame("subscribe", "a", count=1, resp3=True)
    assert sub.cmd("PSUBSCRIBE", "a*") == frame("psubscribe", "a*", count=2, resp3=True)
    assert sub.cmd("SSUBSCRIBE", "s") == frame("ssubscribe", "s", count=1, resp3=True)
    # Any command runs; pushes arrive between replies.
    assert sub.cmd("PING") == b"+PONG\r\n"
    assert sub.cmd("GET", "nokey") == b"_\r\n"
    assert sub.cmd("SET", "k", "v") == b"+OK\r\n"
    assert pub.cmd("PUBLISH", "a", "hello") == b":2\r\n"
    assert pub.cmd("SPUBLISH", "s", "sh") == b":1\r\n"
    assert sub.read_reply() == frame("message", "a", "hello", resp3=True)
    assert sub.read_reply() == frame("pmessage", "a*", "a", "hello", resp3=True)
    assert sub.read_reply() == frame("smessage", "s", "sh", resp3=True)
    assert sub.cmd("GET", "k") == b"$1\r\nv\r\n"
    assert sub.cmd("UNSUBSCRIBE") == frame("unsubscribe", "a", count=1, resp3=True)
    assert sub.cmd("PUNSUBSCRIBE") == frame("punsubscribe", "a*", count=0, resp3=True)
    assert sub.cmd("UNSUBSCRIBE") == frame("unsubscribe", None, count=0, resp3=True)
    # RESET: RESP2 again, and no subscriptions left.
    assert sub.cmd("RESET") == b"+RESET\r\n"
    assert pub.cmd("PUBSUB", "SHARDNUMSUB", "s") == b"*2\r\n" + bulk("s") + b":0\r\n"
    assert sub.cmd("PING") == b"+PONG\r\n"


def test_resp3_client_publishing_to_itself(raw, is_redis):
    c = raw()
    c.cmd("HELLO", "3")
    c.cmd("SUBSCRIBE", "me")
    c.send(encode_command("PUBLISH", "me", "x"))
    replies = c.read_replies(2)
    message = frame("message", "me", "x", resp3=True)
    # Redis 7.0 writes the push before the reply (inside EXEC's array, even,
    # breaking the protocol); Vireo writes it after, as Redis 7.2 does.
    assert replies == ([message, b":1\r\n"] if is_redis else [b":1\r\n", message])


def test_hello_3_leaves_subscribed_mode_and_hello_2_enters_it(raw):
    c = raw()
    c.cmd("SUBSCRIBE", "a")
    c.cmd("RESET")
    c.cmd("HELLO", "3")
    c.cmd("SUBSCRIBE", "a")
    assert c.cmd("ECHO", "hi") == b"$2\r\nhi\r\n"
    c.cmd("HELLO", "2")
    assert c.cmd("ECHO", "hi") == SUBSCRIBED_MODE_ERROR % b"echo"


# --- RESP2 subscribed mode ---------------------------------------------------------


def test_subscribed_mode_refuses_other_commands(raw, r):
    r.config_resetstat()
    c = raw()
    c.cmd("SUBSCRIBE", "a")
    assert c.cmd("GET", "k") == SUBSCRIBED_MODE_ERROR % b"get"
    assert c.cmd("CLIENT", "LIST") == SUBSCRIBED_MODE_ERROR % b"client|list"
    assert c.cmd("HELLO", "3") == SUBSCRIBED_MODE_ERROR % b"hello"
    assert c.cmd("PUBLISH", "a", "x") == SUBSCRIBED_MODE_ERROR % b"publish"
    # PING answers in a form a subscriber can tell from a message.
    assert c.cmd("PING") == b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"
    assert c.cmd("PING", "hey") == b"*2\r\n$4\r\npong\r\n$3\r\nhey\r\n"
    assert c.cmd("PSUBSCRIBE", "p") == frame("psubscribe", "p", count=2)
    stats = r.info("commandstats")
    assert stats["cmdstat_get"]["rejected_calls"] == 1
    assert stats["cmdstat_ping"]["calls"] == 2
    # Still subscribed while any subscription remains, shard ones included.
    c.cmd("SSUBSCRIBE", "s")
    c.cmd("UNSUBSCRIBE")
    c.cmd("PUNSUBSCRIBE")
    assert c.cmd("GET", "k") == SUBSCRIBED_MODE_ERROR % b"get"
    assert c.cmd("SUNSUBSCRIBE", "other") == frame("sunsubscribe", "other", count=1)
    assert c.cmd("SUNSUBSCRIBE", "s") == frame("sunsubscribe", "s", count=0)
    assert c.cmd("GET", "k") == b"$-1\r\n"


def test_quit_and_reset_are_allowed(raw, r):
    c = raw()
    c.cmd("SUBSCRIBE", "a")
    c.cmd("PSUBSCRIBE", "b*")
    c.cmd("SSUBSCRIBE", "s")
    assert c.cmd("RESET") == b"+RESET\r\n"
    assert r.pubsub_numsub("a") == [(b"a", 0)]
    assert r.pubsub_numpat() == 0
    assert c.cmd("GET", "k") == b"$-1\r\n"
    c.cmd("SUBSCRIBE", "a")
    assert c.cmd("QUIT") == b"+OK\r\n"
    c.wait_closed()
    wait_until(lambda: numsub(r, "a") == 0, msg="QUIT to drop the subscription")


def test_disconnecting_drops_subscriptions(r, raw):
    c = raw()
    c.cmd("SUBSCRIBE", "a", "b")
    c.cmd("PSUBSCRIBE", "p*")
    c.cmd("SSUBSCRIBE", "s")
    assert numsub(r, "a") == 1
    c.close()
    wait_until(lambda: r.pubsub_numpat() == 0 and r.pubsub_channels() == [] and
               r.info("stats")["pubsubshard_channels"] == 0, msg="the subscriptions to go")
    assert r.publish("a", "x") == 0


def test_client_list_shows_subscriptions(raw, r):
    c = raw()
    c.send(encode_command("SUBSCRIBE", "a", "b"))
    c.read_replies(2)
    c.cmd("PSUBSCRIBE", "p")
    c.cmd("SSUBSCRIBE", "s")
    listed = r.client_list(_type="pubsub")
    assert len(listed) == 1
    entry = listed[0]
    assert (entry["flags"], entry["sub"], entry["psub"], entry["ssub"]) == ("P", "2", "1", "1")
    assert entry["cmd"] == "ssubscribe"
    assert [e for e in r.client_list() if e["id"] == entry["id"]]
    assert r.client_list(_type="normal") and all(e["flags"] != "P"
                                                  for e in r.client_list(_type="normal"))
    assert r.client_kill_filter(_type="pubsub") == 1
    c.wait_closed()


def test_confirmations_and_messages_ignore_client_reply_off(raw):
    sub, pub = raw(), raw()
    sub.send(encode_command("CLIENT", "REPLY", "OFF"))
    assert sub.cmd("SUBSCRIBE", "quiet") == frame("subscribe", "quiet", count=1)
    assert pub.cmd("PUBLISH", "quiet", "x") == b":1\r\n"
    assert sub.read_reply() == frame("message", "quiet", "x")


def test_ssubscribe_is_refused_inside_multi(raw, missing_commands):
    if missing_commands(["MULTI", "EXEC"]):
        pytest.skip("needs MULTI/EXEC")
    c = raw()
    c.cmd("MULTI")
    assert c.cmd("SUBSCRIBE", "q") == b"+QUEUED\r\n"
    assert c.cmd("SSUBSCRIBE", "q") == b"+QUEUED\r\n"
    assert c.cmd("EXEC") == b"*2\r\n" + frame("subscribe", "q", count=1) + \
        b"-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n"
    assert c.cmd("PING") == b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"


def test_a_write_pause_holds_publishes(raw, r):
    """PUBLISH and SPUBLISH may replicate (Redis sends them to replicas), so
    CLIENT PAUSE WRITE holds them like writes; PUBSUB and SUBSCRIBE run."""
    c, sub = raw(), raw()
    try:
        assert r.execute_command("CLIENT", "PAUSE", "100000", "WRITE")
        assert sub.cmd("SUBSCRIBE", "ch") == frame("subscribe", "ch", count=1)
        assert c.cmd("PUBSUB", "NUMSUB", "ch") == b"*2\r\n" + bulk("ch") + b":1\r\n"
        c.send(encode_command("PUBLISH", "ch", "x") + encode_command("SPUBLISH", "s", "y"))
        c.assert_silent()
    finally:
        r.execute_command("CLIENT", "UNPAUSE")
    assert c.read_replies(2) == [b":1\r\n", b":0\r\n"]
    assert sub.read_reply() == frame("message", "ch", "x")


def test_command_info_rows(raw):
    c = raw()
    reply = c.cmd("COMMAND", "INFO", "ssubscribe")
    assert reply.startswith(b"*1\r\n*10\r\n$10\r\nssubscribe\r\n:-2\r\n*4\r\n+pubsub\r\n"
                            b"+noscript\r\n+loading\r\n+stale\r\n:1\r\n:-1\r\n:1\r\n")
    assert b"+not_key\r\n" in reply
    assert c.cmd("COMMAND", "INFO", "publish") == (
        b"*1\r\n*10\r\n$7\r\npublish\r\n:3\r\n*4\r\n+pubsub\r\n+loading\r\n+stale\r\n+fast\r\n"
        b":0\r\n:0\r\n:0\r\n*2\r\n+@pubsub\r\n+@fast\r\n*0\r\n*0\r\n*0\r\n")
    assert c.cmd("COMMAND", "GETKEYS", "SSUBSCRIBE", "a", "b") == \
        b"-ERR The command has no key arguments\r\n"


# --- Output-buffer limit (pubsub class) -----------------------------------------------


def silent_subscriber(port, channel):
    """A socket that subscribes to `channel` and never reads (a small receive
    buffer, so that the server's own buffer fills soon)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    sock.connect(("127.0.0.1", port))
    sock.sendall(encode_command("SUBSCRIBE", channel))
    return sock


def test_slow_subscriber_is_disconnected_at_the_pubsub_hard_limit(start_server, is_redis):
    srv = start_server({"client-output-buffer-limit": "pubsub 1mb 512kb 1"})
    r = srv.client()
    sock = silent_subscriber(srv.port, "firehose")
    wait_until(lambda: numsub(r, "firehose") == 1, msg="the subscription")
    chunk = b"x" * 100_000
    published = 0
    # The kernel's socket buffers take some first; then the server's buffer
    # grows past 1 MB and the subscriber goes (normal clients have no limit,
    # so this is the pubsub class at work).
    while numsub(r, "firehose") == 1:
        assert published < 2000, "the slow subscriber was never disconnected"
        for _ in range(10):
            r.publish("firehose", chunk)
        published += 10
    assert r.ping()
    if not is_redis:  # the counter is Redis 7.2's; 7.0 does not report it
        wait_until(lambda: r.info("stats")["client_output_buffer_limit_disconnections"] == 1,
                   msg="the disconnection to be counted")
    sock.close()


def test_slow_subscriber_is_disconnected_after_the_soft_limit_seconds(start_server):
    srv = start_server({"client-output-buffer-limit": "pubsub 0 256kb 1"})
    r = srv.client()
    sock = silent_subscriber(srv.port, "drip")
    wait_until(lambda: numsub(r, "drip") == 1, msg="the subscription")
    start = time.monotonic()

    def dropped():
        # The limit is judged when output is added: keep adding, slowly.
        r.publish("drip", b"z" * 50_000)
        return numsub(r, "drip") == 0

    wait_until(dropped, timeout=30, msg="the subscriber over the soft limit to go")
    # Over the soft limit for its second, not at once.
    assert time.monotonic() - start >= 1.0
    sock.close()


def test_subscriber_below_the_limit_gets_everything(start_server):
    srv = start_server({"client-output-buffer-limit": "pubsub 64mb 64mb 0"})
    r = srv.client()
    sub = srv.client()
    p = sub.pubsub(ignore_subscribe_messages=True)
    p.subscribe("bulk")
    wait_until(lambda: numsub(r, "bulk") == 1, msg="the subscription")
    payload = b"y" * 10_000
    pipe = r.pipeline(transaction=False)
    for _ in range(500):
        pipe.publish("bulk", payload)
    assert pipe.execute() == [1] * 500
    for _ in range(500):
        assert next_message(p)["data"] == payload
    p.close()


# --- Keyspace notifications --------------------------------------------------------------


def test_keyspace_notifications_reach_subscribers(r):
    r.config_set("notify-keyspace-events", "KEAn")
    try:
        p = r.pubsub(ignore_subscribe_messages=True)
        p.psubscribe("__key*@0__:*")
        wait_until(lambda: r.pubsub_numpat() == 1, msg="the pattern subscription")
        r.set("fresh", "v")
        r.set("short", "v", px=50)
        wanted = {(b"__keyspace@0__:fresh", b"new"), (b"__keyevent@0__:new", b"fresh"),
                  (b"__keyspace@0__:short", b"new"), (b"__keyevent@0__:new", b"short"),
                  (b"__keyspace@0__:short", b"expired"), (b"__keyevent@0__:expired", b"short")}
        seen = []
        # Other events (set...) may come too, from the families that emit them;
        # the expiry arrives when the active cycle (or a lookup) finds the key.
        while not wanted <= set(seen):
            msg = next_message(p)
            assert msg["type"] == "pmessage" and msg["pattern"] == b"__key*@0__:*"
            seen.append((msg["channel"], msg["data"]))
        # Each key's keyspace event comes before its keyevent one.
        assert seen.index((b"__keyspace@0__:fresh", b"new")) < \
            seen.index((b"__keyevent@0__:new", b"fresh"))
        p.close()
    finally:
        r.config_set("notify-keyspace-events", "")
