from app.logs import class_logger


@class_logger
class Mapper:
    def describe(self):
        return f"mapper v1 logging to {self.logger.name}"
