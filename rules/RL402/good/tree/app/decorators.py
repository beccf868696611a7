import functools
import time


def timed(label):
    def wrap(func):
        @functools.wraps(func)
        def timed_call(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                print(label, time.perf_counter() - start)

        return timed_call

    return wrap
