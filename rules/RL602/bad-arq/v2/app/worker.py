"""The arq worker: `arq app.worker.WorkerSettings`."""
from arq.connections import RedisSettings


async def resize(ctx, photo_id, width, height):
    return f"{photo_id} at {width}x{height}px"


class WorkerSettings:
    functions = [resize]
    redis_settings = RedisSettings()
