from app import factory, state


def health():
    return "ok"


if __name__ == "__main__":
    # Same start-up code; the module around it changed.
    state.APP = factory.create_app()
