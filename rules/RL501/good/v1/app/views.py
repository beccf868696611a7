from app import db


def home():
    return db.connect("sqlite://")
