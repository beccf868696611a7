def handle(payload):
    return {"ok": payload}
