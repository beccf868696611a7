from app import factory, state

state.APP = factory.create_app()
