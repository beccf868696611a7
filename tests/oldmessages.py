"""Task messages queued by one version, consumed by the next (RL602, RL603 proofs).

:func:`produce` runs in the process that has the base version loaded: it
queues one call of a task through the framework's own API, on its in-memory
transport (Celery's ``memory://`` broker, Dramatiq's ``StubBroker``, Huey's
``MemoryHuey``, RQ and arq on fakeredis), and takes the queued message out as the
broker holds it. :func:`consume` runs in a fresh process started on the new
version (the workers of the deploy): it puts the message back on that
process's transport and runs a real worker of the framework on it. It
returns what the worker did: ``ok`` and the result, or the error.

Celery tasks must be consumed in another process: ``@app.task`` shares tasks
between the apps of one process, so a second app there would still run the
old function.

arq's worker runs as shipped on fakeredis's asyncio client (the ``redis_pool``
arq accepts, an ``ArqRedis`` built over it), with one exception: its start-up
log line asks the server for ``INFO``, which fakeredis does not implement, so
:func:`_arq_consume` replaces that logging helper (``arq.worker.log_redis_info``)
for the run. Queueing, job decoding, the call and the stored result are arq's.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

#: How long a worker may take to pick up the one message (a bound, not a timing).
WAIT = 30


def produce(framework: str, module: str, task: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    """Queue ``task(*args, **kwargs)`` with the running version; the message as queued."""
    tasks = importlib.import_module(module)
    return json.dumps(_PRODUCERS[framework](tasks, task, args, kwargs))


def consume(framework: str, module: str, message: str) -> str:
    """Run the new version's worker on the message: ``ok <result>`` or ``<error type>: <error>``."""
    tasks = importlib.import_module(module)
    return _CONSUMERS[framework](tasks, json.loads(message))


def experiment(table: dict[str, tuple[Any, ...]]) -> None:
    """The corpus experiment of the case running now, from its row in ``table``:
    (framework, module queued from, task, args, kwargs[, module the new workers import])."""
    from reloadkit import fresh, upgrade, verdict

    case = Path(os.environ["RELOADKIT_V2"]).parent.name
    framework, module, task, args, kwargs, *new_module = table[case]
    message = produce(framework, module, task, args, kwargs)
    upgrade()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "message.json"
        path.write_text(message, encoding="utf-8")
        consumer = new_module[0] if new_module else module
        out = fresh(
            "import oldmessages; "
            f"print(oldmessages.consume({framework!r}, {consumer!r}, open({str(path)!r}).read()))"
        )
    outcome = out.splitlines()[-1] if out else "no outcome"
    verdict(
        not outcome.startswith("ok "),
        f"{framework} message queued by the old version as {task}(*{args!r}, **{kwargs!r}): "
        f"the new worker says {outcome}",
    )


# ----------------------------------------------------------------- Celery


def _celery_app(tasks: Any) -> Any:
    from celery import Celery

    return next(v for v in vars(tasks).values() if isinstance(v, Celery))


def _celery_produce(tasks: Any, task: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    getattr(tasks, task).apply_async(args=args, kwargs=kwargs)
    with _celery_app(tasks).connection_for_write() as conn:
        return conn.default_channel._get("celery")  # the kombu message: headers, body...


def _celery_consume(tasks: Any, message: Any) -> str:
    from celery import signals
    from celery.contrib.testing.worker import start_worker

    app = _celery_app(tasks)
    outcome: list[str] = []
    done = threading.Event()

    def success(result: Any = None, **_: Any) -> None:
        outcome.append(f"ok {result!r}")
        done.set()

    def failure(exception: Any = None, **_: Any) -> None:
        outcome.append(f"{type(exception).__name__}: {exception}")
        done.set()

    def unknown(name: Any = None, **_: Any) -> None:
        outcome.append(f"unregistered task: {name}")
        done.set()

    signals.task_success.connect(success, weak=False)
    signals.task_failure.connect(failure, weak=False)
    signals.task_unknown.connect(unknown, weak=False)
    with app.connection_for_write() as conn:
        conn.default_channel._new_queue("celery")
        conn.default_channel._put("celery", message)
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="ERROR"):
        done.wait(WAIT)
    return outcome[0] if outcome else "no outcome"


# ----------------------------------------------------------------- Dramatiq


def _dramatiq_produce(tasks: Any, task: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    message = getattr(tasks, task).send_with_options(args=args, kwargs=kwargs)
    return base64.b64encode(message.encode()).decode()


def _dramatiq_consume(tasks: Any, data: str) -> str:
    import dramatiq
    from dramatiq import Message, Worker
    from dramatiq.middleware import Middleware

    broker = dramatiq.get_broker()
    outcome: list[str] = []

    class Outcome(Middleware):
        def after_process_message(self, broker, message, *, result=None, exception=None):
            outcome.append(
                f"ok {result!r}"
                if exception is None
                else f"{type(exception).__name__}: {exception}"
            )

        def after_skip_message(self, broker, message):
            outcome.append("skipped")

    broker.add_middleware(Outcome())
    message = Message.decode(base64.b64decode(data))
    try:
        broker.get_actor(message.actor_name)
    except dramatiq.ActorNotFound as error:
        return f"ActorNotFound: {error}"  # what the worker's consumer raises for it
    for actor in broker.actors.values():
        actor.options["max_retries"] = 0  # one attempt: the outcome, not the retry schedule
    broker.enqueue(message)
    worker = Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        broker.join(message.queue_name, timeout=WAIT * 1000)
        worker.join()
    except Exception as error:  # join re-raises the failed message's error
        if not outcome:
            outcome.append(f"{type(error).__name__}: {error}")
    finally:
        worker.stop()
    return outcome[0] if outcome else "no outcome"


# ----------------------------------------------------------------- Huey


def _huey(tasks: Any) -> Any:
    from huey import Huey

    return next(v for v in vars(tasks).values() if isinstance(v, Huey))


def _huey_produce(tasks: Any, task: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    huey = _huey(tasks)
    getattr(tasks, task)(*args, **kwargs)
    return base64.b64encode(huey.storage.dequeue()).decode()


def _huey_consume(tasks: Any, data: str) -> str:
    huey = _huey(tasks)
    huey.storage.enqueue(base64.b64decode(data))
    try:
        task = huey.dequeue()  # what the consumer does: deserialise, look the name up
        huey.execute(task)  # a failure is stored as the task's result
        return f"ok {huey.result(task.id, preserve=True)!r}"
    except Exception as error:
        return f"{type(error).__name__}: {error}"


# ----------------------------------------------------------------- RQ


def _rq_queue() -> Any:
    import fakeredis
    from rq import Queue

    return Queue("default", connection=fakeredis.FakeRedis(server=_SERVER))


_SERVER: Any = None


def _rq_produce(tasks: Any, task: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    global _SERVER
    import fakeredis

    _SERVER = fakeredis.FakeServer()
    queue = _rq_queue()
    job = queue.enqueue(getattr(tasks, task), *args, **kwargs)  # by reference, as the app does
    conn = queue.connection
    return {
        "id": job.id,
        "hash": {
            k.decode(): base64.b64encode(v).decode() for k, v in conn.hgetall(job.key).items()
        },
    }


def _rq_consume(tasks: Any, data: Any) -> str:
    global _SERVER
    import fakeredis
    from rq import SimpleWorker
    from rq.job import Job

    _SERVER = fakeredis.FakeServer()
    queue = _rq_queue()
    conn = queue.connection
    key = f"rq:job:{data['id']}"
    conn.hset(key, mapping={k: base64.b64decode(v) for k, v in data["hash"].items()})
    conn.rpush(queue.key, data["id"])
    conn.sadd("rq:queues", queue.key)
    SimpleWorker([queue], connection=conn).work(burst=True)
    job = Job.fetch(data["id"], connection=conn)
    if job.is_failed:
        info = job.latest_result().exc_string if job.latest_result() else "failed"
        return info.strip().splitlines()[-1]
    return f"ok {job.return_value()!r}"


# ----------------------------------------------------------------- arq


def _arq_pool(server: Any) -> Any:
    import fakeredis
    from arq.connections import ArqRedis

    return ArqRedis(fakeredis.FakeAsyncRedis(server=server).connection_pool)


def _arq_produce(tasks: Any, task: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    import asyncio

    import fakeredis

    async def queue() -> Any:
        pool = _arq_pool(fakeredis.FakeServer())
        job = await pool.enqueue_job(task, *args, **kwargs)  # by name, as arq's clients do
        key = f"arq:job:{job.job_id}"
        return {
            "id": job.job_id,
            "job": base64.b64encode(await pool.get(key)).decode(),
            "score": await pool.zscore(pool.default_queue_name, job.job_id),
        }

    return asyncio.run(queue())


def _arq_consume(tasks: Any, data: Any) -> str:
    import asyncio

    import arq.worker
    import fakeredis
    from arq.jobs import Job

    async def no_server_info(redis: Any, log_func: Any) -> None:
        """fakeredis has no INFO command; arq only logs its answer at start-up."""

    settings = next(
        v for v in vars(tasks).values() if isinstance(v, type) and hasattr(v, "functions")
    )

    async def run() -> str:
        pool = _arq_pool(fakeredis.FakeServer())
        await pool.set(f"arq:job:{data['id']}", base64.b64decode(data["job"]))
        await pool.zadd(pool.default_queue_name, {data["id"]: data["score"]})
        worker = arq.worker.Worker(
            functions=settings.functions,
            redis_pool=pool,
            burst=True,
            poll_delay=0,
            max_tries=1,
            handle_signals=False,
        )
        await worker.async_run()
        info = await Job(data["id"], pool).result_info()
        if info is None:
            return "no outcome"
        if info.success:
            return f"ok {info.result!r}"
        return f"{type(info.result).__name__}: {info.result}"

    arq.worker.log_redis_info = no_server_info
    return asyncio.run(run())


_PRODUCERS = {
    "celery": _celery_produce,
    "dramatiq": _dramatiq_produce,
    "huey": _huey_produce,
    "rq": _rq_produce,
    "arq": _arq_produce,
}
_CONSUMERS = {
    "celery": _celery_consume,
    "dramatiq": _dramatiq_consume,
    "huey": _huey_consume,
    "rq": _rq_consume,
    "arq": _arq_consume,
}
