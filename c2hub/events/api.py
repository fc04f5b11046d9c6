from ninja import Router

router = Router(tags=["Events and meetings"])
