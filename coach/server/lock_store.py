"""A Redis lock store that stays correct when several Rasa replicas get one conversation's messages
at once.

Rasa 3.6's RedisLockStore reads a conversation's ticket lock, changes it in Python and writes
it back (GET ... SET). Two replicas issuing a ticket at the same moment both read the same lock,
and the second SET drops the first one's ticket: both replicas then process their message
together, both save the tracker, and one turn is silently lost (Rasa's own fix,
ConcurrentRedisLockStore, went to Rasa Pro only). `make scale-test` caught it: six messages of
one rep sent at once to two replicas lost a turn in about half of the rounds.

This subclass runs each read-modify-write of the ticket lock under a short Redis mutex for that
conversation (redis-py's Lock: SET NX PX, released by a Lua check-and-delete), so tickets are
issued, expired and returned one at a time across every replica. It also polls a queued ticket
every 0.1 s instead of every second. Used by configs/scale/endpoints.yml:

  lock_store:
    type: coach.server.lock_store.AtomicRedisLockStore
"""
from __future__ import annotations

from typing import Any, AsyncContextManager, Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

MUTEX_TIMEOUT_S = 10.0  # expires by itself: a replica killed while holding it blocks nobody for long
WAIT_S = 0.1  # between checks of a queued ticket (Rasa's default is 1 s)


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose ticket changes are atomic across processes; same configuration keys."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        # Rasa builds a lock store named by module path with endpoint_config only; map it as for type: redis.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _mutex(self, conversation_id: str) -> Any:
        # Not under key_prefix + id: a conversation id ending in ":mutex" must not collide with it.
        return self.red.lock(f"{self.key_prefix.rstrip(':')}_mutex:{conversation_id}",
                             timeout=MUTEX_TIMEOUT_S, blocking_timeout=MUTEX_TIMEOUT_S)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            with self._mutex(conversation_id):
                return super().issue_ticket(conversation_id, lock_lifetime)
        except LockError:
            raise
        except Exception as exc:  # redis-py's own LockError (mutex not acquired) or a connection error
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)

    def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
             wait_time_in_seconds: float = WAIT_S) -> AsyncContextManager[TicketLock]:
        return super().lock(conversation_id, lock_lifetime, wait_time_in_seconds)
