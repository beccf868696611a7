from app import factory, state

state.APP = factory.create_app()
state.APP["routes"].append("/metrics")
