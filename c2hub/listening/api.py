from ninja import Router

router = Router(tags=["Listening events"])
