from app import factory, state

if __name__ == "__main__":
    state.APP = factory.create_app()
