"""coach/server/lock_store.py (AtomicRedisLockStore) against the private Redis of `make scale-test`.

Two store objects stand for two Rasa replicas sharing one Redis, as in configs/scale/endpoints.yml.
"""
from __future__ import annotations

import asyncio
import uuid
from typing import List

import pytest
from rasa.utils.endpoints import EndpointConfig

from coach.server.lock_store import AtomicRedisLockStore
from tests.conftest import in_threads


@pytest.fixture
def replicas(redis_port: int) -> List[AtomicRedisLockStore]:
    config = EndpointConfig.from_dict({"type": "coach.server.lock_store.AtomicRedisLockStore",
                                       "url": "127.0.0.1", "port": str(redis_port), "db": "2",
                                       "key_prefix": "test"})
    stores = [AtomicRedisLockStore(endpoint_config=config), AtomicRedisLockStore(endpoint_config=config)]
    stores[0].red.flushdb()
    return stores


def test_built_from_the_endpoint_config_like_type_redis(replicas: List[AtomicRedisLockStore],
                                                        redis_port: int) -> None:
    store = replicas[0]
    assert store.key_prefix == "test:lock:"
    assert store.red.connection_pool.connection_kwargs["port"] == redis_port
    assert store.red.connection_pool.connection_kwargs["db"] == 2


def _issue_at_once(stores: List, conversation: str, count: int = 16) -> List[int]:
    """`count` threads released together, alternating between the stores, each taking one ticket."""
    tickets: List[int] = []
    errors = in_threads(lambda n: tickets.append(stores[n % 2].issue_ticket(conversation)), count)
    assert errors == [], errors
    return tickets


def test_tickets_issued_at_once_by_two_replicas_are_all_kept(replicas: List[AtomicRedisLockStore]) -> None:
    # The stock RedisLockStore loses tickets here (GET + SET): two replicas would then run together.
    conversation = f"rep-{uuid.uuid4().hex[:8]}"
    tickets = _issue_at_once(replicas, conversation)
    assert sorted(tickets) == list(range(16))
    lock = replicas[0].get_lock(conversation)
    assert lock is not None and sorted(t.number for t in lock.tickets) == list(range(16))
    for number in tickets:
        replicas[number % 2].cleanup(conversation, number)
    assert replicas[0].get_lock(conversation) is None  # the last cleanup removes the lock


def test_a_conversation_is_held_by_one_replica_at_a_time(replicas: List[AtomicRedisLockStore]) -> None:
    conversation = f"rep-{uuid.uuid4().hex[:8]}"
    inside: List[int] = []
    overlaps: List[int] = []

    async def turn(n: int) -> None:
        async with replicas[n % 2].lock(conversation):
            if inside:
                overlaps.append(n)
            inside.append(n)
            await asyncio.sleep(0.05)
            inside.remove(n)

    async def all_turns() -> None:
        await asyncio.gather(*(turn(n) for n in range(8)))

    asyncio.run(all_turns())
    assert overlaps == []
    assert replicas[0].get_lock(conversation) is None


def test_the_mutex_key_cannot_collide_with_a_conversation(replicas: List[AtomicRedisLockStore]) -> None:
    store = replicas[0]
    assert store._mutex("abc").name == "test:lock_mutex:abc"
    assert not store._mutex("abc").name.startswith(store.key_prefix)


def test_the_stock_redis_lock_store_still_loses_tickets(redis_port: int) -> None:
    # Why AtomicRedisLockStore exists. When a Rasa upgrade makes this fail, go back to `type: redis`.
    from rasa.core.lock_store import RedisLockStore

    lossy = 0
    for _ in range(5):
        stores = [RedisLockStore(host="127.0.0.1", port=redis_port, db=2) for _ in range(2)]
        conversation = f"stock-{uuid.uuid4().hex[:8]}"
        tickets = _issue_at_once(stores, conversation)
        lock = stores[0].get_lock(conversation)
        lossy += sorted(tickets) != list(range(16)) or lock is None or len(lock.tickets) != 16
    assert lossy > 0
