from app import factory, state


def configure(app):
    return app


if __name__ == "__main__":
    state.APP = configure(factory.create_app())
    state.APP["routes"].append("/audit")
