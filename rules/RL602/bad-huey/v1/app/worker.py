from huey import MemoryHuey

huey = MemoryHuey("app")
