"""review: the page a person checks an edition with, before the gate publishes it"""
